
# bash: __dkenv_prompt comes first in PROMPT_COMMAND and hands on the status ($?) of the
# command before it to the rest of PROMPT_COMMAND and to the prompt.
__dkenv_prompt() {
    local __dkenv_status=$?
    __dkenv_auto
    return $__dkenv_status
}

if [ -n "$__DKENV_AUTO" ]; then
    case "
${PROMPT_COMMAND[*]-}
" in
        *__dkenv_prompt*) ;;
        *) PROMPT_COMMAND="__dkenv_prompt${PROMPT_COMMAND:+
$PROMPT_COMMAND}" ;;
    esac
fi
