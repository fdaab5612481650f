# dkenv: startup file of the bash subshell started by `dkenv activate` without the hook:
# the user's ~/.bashrc, then the project's activation. Removes its own folder.
if [ -f ~/.bashrc ]; then . ~/.bashrc; fi
. @ACTIVATE@
command rm -rf -- @TMPDIR@
