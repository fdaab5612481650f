# dkenv: deactivate the active project in this shell (bash, zsh or sh), evaluated by the
# dkenv hook: the shims dir leaves PATH, the prompt prefix leaves PS1, nothing else moves.
if [ -n "${DKENV_PROJECT-}" ]; then
    _DKENV_SHIMS=${_DKENV_SHIMS:-$DKENV_PROJECT/.dkenv/shims}
    case ${PATH-} in
        "$_DKENV_SHIMS") PATH= ;;
        "$_DKENV_SHIMS":*) PATH=${PATH#"$_DKENV_SHIMS":} ;;
        *:"$_DKENV_SHIMS") PATH=${PATH%:"$_DKENV_SHIMS"} ;;
        *:"$_DKENV_SHIMS":*) PATH=${PATH%%:"$_DKENV_SHIMS":*}:${PATH#*:"$_DKENV_SHIMS":} ;;
    esac
    if [ -n "${_DKENV_PREFIX+set}" ]; then
        case ${PS1-} in
            "$_DKENV_PREFIX"*) PS1=${PS1#"$_DKENV_PREFIX"} ;;
        esac
        if [ -n "${_DKENV_PS1_UNSET-}" ] && [ -z "${PS1-}" ]; then unset PS1; fi
    fi
    unset DKENV_PROJECT DKENV_ACTIVE_NAME _DKENV_SHIMS _DKENV_AUTO _DKENV_PREFIX _DKENV_PS1_UNSET
fi
