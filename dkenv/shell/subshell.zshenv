# dkenv: ZDOTDIR/.zshenv of the zsh subshell started by `dkenv activate` without the hook:
# the user's .zshenv, then back here for .zshrc.
if [[ -n ${_DKENV_USER_ZDOTDIR+set} ]]; then ZDOTDIR=$_DKENV_USER_ZDOTDIR; else unset ZDOTDIR; fi
if [[ -f ${ZDOTDIR:-$HOME}/.zshenv ]]; then . "${ZDOTDIR:-$HOME}/.zshenv"; fi
if [[ -n ${ZDOTDIR+set} ]]; then _DKENV_USER_ZDOTDIR=$ZDOTDIR; else unset _DKENV_USER_ZDOTDIR; fi
ZDOTDIR=@TMPDIR@
