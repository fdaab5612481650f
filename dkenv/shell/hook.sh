# dkenv shell hook for @SHELL@, printed by `dkenv hook @SHELL@`.
# Install: add   eval "$(dkenv hook @SHELL@)"   (or `dkenv hook @SHELL@ --auto`) to ~/.@SHELL@rc.
# Sourcing it again is harmless: functions are redefined, the prompt hook is added once.
# This part is the same for bash and zsh (written in their common syntax); the shell's
# own prompt-hook wiring comes last.
__DKENV_SHELL=@SHELL@

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
            __dkenv_code=$(__dkenv_bin "$@" --shell-code "$__DKENV_SHELL") || return
            eval "$__dkenv_code"
            ;;
        *) __dkenv_bin "$@" ;;
    esac
}

# Auto-activation (`--auto`): the prompt hook runs __dkenv_auto before each prompt; it
# starts no process unless $PWD changed AND the project root found by walking up changed.
# Its globals are made here, outside any function (zsh's warn_create_global).
__DKENV_AUTO=@AUTO@
__dkenv_pwd=${__dkenv_pwd-}
__dkenv_seen_root=${__dkenv_seen_root-}

__dkenv_auto() {
    [ -n "$__DKENV_AUTO" ] && [ "${__dkenv_pwd-}" != "$PWD" ] || return 0
    __dkenv_pwd=$PWD
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
        if __dkenv_code=$(__dkenv_bin -C "$__dkenv_root" activate --shell-code "$__DKENV_SHELL" --auto); then
            eval "$__dkenv_code"
            return 0
        fi
    fi
    # left an auto-activated project (or entered one that is not allowed)
    if [ -n "${DKENV_PROJECT-}" ] && [ -n "${_DKENV_AUTO-}" ]; then
        __dkenv_code=$(__dkenv_bin deactivate --shell-code "$__DKENV_SHELL") && eval "$__dkenv_code"
    fi
    return 0
}
