# dkenv: activate a project in this shell (bash, zsh or sh), evaluated by the dkenv hook.
# Leaves what `deactivate.sh` needs to put PATH and PS1 back byte for byte.
DKENV_PROJECT=@ROOT@
DKENV_ACTIVE_NAME=@NAME@
export DKENV_PROJECT DKENV_ACTIVE_NAME
_DKENV_SHIMS=@SHIMS@
_DKENV_AUTO=@AUTO@
if [ -n "${PATH-}" ]; then PATH=$_DKENV_SHIMS:$PATH; else PATH=$_DKENV_SHIMS; fi
export PATH
if [ -z "${DKENV_DISABLE_PROMPT-}" ]; then
    _DKENV_PREFIX=@PREFIX@
    if [ -n "${PS1+set}" ]; then _DKENV_PS1_UNSET=; else _DKENV_PS1_UNSET=1; fi
    PS1=$_DKENV_PREFIX${PS1-}
fi
