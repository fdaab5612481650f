# dkenv shell hook for bash, printed by `dkenv hook bash`.
# Install: add   eval "$(dkenv hook bash)"   (or `dkenv hook bash --auto`) to ~/.bashrc.
# Sourcing it again is harmless: functions are redefined, the prompt hook is added once.

__dkenv_bin() {
    @DKENV@ "$@"
}

# `dkenv activate` / `dkenv deactivate` change this shell: eval the code dkenv prints.
# Every other subcommand runs the dkenv program, its exit status preserved.
dkenv() {
    local __dkenv_verb= __dkenv_skip= __dkenv_arg __dkenv_code
    for __dkenv_arg in "$@"; do
        if [ -n "$__dkenv_skip" ]; then __dkenv_skip=; continue; fi
        case $__dkenv_arg in
            -C) __dkenv_skip=1 ;;
            -*) ;;
            *) __dkenv_verb=$__dkenv_arg; break ;;
        esac
    done
    case $__dkenv_verb in
        activate|deactivate)
            for __dkenv_arg in "$@"; do
                case $__dkenv_arg in -h|--help|-V|--version) __dkenv_bin "$@"; return ;; esac
            done
            __dkenv_code=$(__dkenv_bin "$@" --shell-code bash) || return
            eval "$__dkenv_code"
            ;;
        *) __dkenv_bin "$@" ;;
    esac
}

# Auto-activation (`dkenv hook bash --auto`): runs before each prompt, starts no process
# unless $PWD changed AND the project root found by walking up changed.
__DKENV_AUTO=@AUTO@

__dkenv_prompt() {
    local __dkenv_status=$?
    if [ -n "$__DKENV_AUTO" ] && [ "${__dkenv_pwd-}" != "$PWD" ]; then
        __dkenv_pwd=$PWD
        __dkenv_auto
    fi
    return $__dkenv_status
}

__dkenv_auto() {
    local __dkenv_dir=${PWD%/} __dkenv_root= __dkenv_code
    while :; do
        if [ -f "$__dkenv_dir/.dkenv.toml" ]; then __dkenv_root=${__dkenv_dir:-/}; break; fi
        [ -n "$__dkenv_dir" ] || break
        __dkenv_dir=${__dkenv_dir%/*}
    done
    [ "$__dkenv_root" = "${__dkenv_seen_root-}" ] && return 0
    __dkenv_seen_root=$__dkenv_root
    if [ -n "$__dkenv_root" ]; then
        [ "$__dkenv_root" = "${DKENV_PROJECT-}" ] && return 0
        if __dkenv_code=$(__dkenv_bin -C "$__dkenv_root" activate --shell-code bash --auto); then
            eval "$__dkenv_code"
            return 0
        fi
    fi
    # left an auto-activated project (or entered one that is not allowed)
    if [ -n "${DKENV_PROJECT-}" ] && [ -n "${_DKENV_AUTO-}" ]; then
        __dkenv_code=$(__dkenv_bin deactivate --shell-code bash) && eval "$__dkenv_code"
    fi
    return 0
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
