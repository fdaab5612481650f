# dkenv shell hook for fish, printed by `dkenv hook fish`.
# Install: add   dkenv hook fish | source   (or `dkenv hook fish --auto | source`)
# to ~/.config/fish/config.fish. Sourcing it again is harmless: functions (and the
# prompt event handler) are redefined, never added twice.

function __dkenv_bin
    @DKENV@ $argv
end

# `dkenv activate` / `dkenv deactivate` change this shell: source the code dkenv prints.
# Every other subcommand runs the dkenv program, its exit status preserved.
function dkenv --description 'dkenv: a project environment that is a Docker container'
    set -l dkenv_verb
    set -l dkenv_skip
    for dkenv_arg in $argv
        if test -n "$dkenv_skip"
            set dkenv_skip
            continue
        end
        switch $dkenv_arg
            case -C
                set dkenv_skip 1
            case '-*'
            case '*'
                set dkenv_verb $dkenv_arg
                break
        end
    end
    if contains -- "$dkenv_verb" activate deactivate
        and not contains -- -h $argv
        and not contains -- --help $argv
        and not contains -- -V $argv
        and not contains -- --version $argv
        set -l dkenv_code (__dkenv_bin $argv --shell-code fish)
        or return $status
        string join \n -- $dkenv_code | source
        return 0
    end
    __dkenv_bin $argv
end

# Auto-activation (`dkenv hook fish --auto`): runs before each prompt, starts no process
# unless $PWD changed AND the project root found by walking up changed.
set -g __DKENV_AUTO @AUTO@

function __dkenv_prompt --on-event fish_prompt
    if test -n "$__DKENV_AUTO"; and test "$__dkenv_pwd" != "$PWD"
        set -g __dkenv_pwd $PWD
        __dkenv_auto
    end
end

function __dkenv_auto
    set -l dkenv_dir (string replace -r '/$' '' -- $PWD)
    set -l dkenv_root
    while true
        if test -f "$dkenv_dir/.dkenv.toml"
            set dkenv_root "$dkenv_dir"
            test -n "$dkenv_root"; or set dkenv_root /
            break
        end
        test -n "$dkenv_dir"; or break
        set dkenv_dir (string replace -r '/[^/]*$' '' -- "$dkenv_dir")
    end
    test "$dkenv_root" = "$__dkenv_seen_root"; and return 0
    set -g __dkenv_seen_root "$dkenv_root"
    if test -n "$dkenv_root"
        test "$dkenv_root" = "$DKENV_PROJECT"; and return 0
        set -l dkenv_code (__dkenv_bin -C "$dkenv_root" activate --shell-code fish --auto)
        if test $status -eq 0
            string join \n -- $dkenv_code | source
            return 0
        end
    end
    # left an auto-activated project (or entered one that is not allowed)
    if set -q DKENV_PROJECT; and test -n "$_DKENV_AUTO"
        set -l dkenv_code (__dkenv_bin deactivate --shell-code fish)
        and string join \n -- $dkenv_code | source
    end
    return 0
end
