# dkenv: ZDOTDIR/.zshrc of the zsh subshell started by `dkenv activate` without the hook:
# the user's .zshrc, then the project's activation. Removes its own folder.
if [[ -n ${_DKENV_USER_ZDOTDIR+set} ]]; then ZDOTDIR=$_DKENV_USER_ZDOTDIR; else unset ZDOTDIR; fi
unset _DKENV_USER_ZDOTDIR
if [[ -f ${ZDOTDIR:-$HOME}/.zshrc ]]; then . "${ZDOTDIR:-$HOME}/.zshrc"; fi
. @ACTIVATE@
command rm -rf -- @TMPDIR@
