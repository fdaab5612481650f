# dkenv: activate a project in this fish, evaluated by the dkenv hook.
# Leaves what `deactivate.fish` needs to put PATH and the prompt back as they were.
set -gx DKENV_PROJECT @ROOT@
set -gx DKENV_ACTIVE_NAME @NAME@
set -g _DKENV_SHIMS @SHIMS@
set -g _DKENV_AUTO @AUTO@
set -gx PATH $_DKENV_SHIMS $PATH
if test -z "$DKENV_DISABLE_PROMPT"
    set -g _DKENV_PREFIX @PREFIX@
    if functions -q fish_prompt
        functions -c fish_prompt _dkenv_old_fish_prompt
    end
    function fish_prompt
        set -l dkenv_status $status
        printf '%s' $_DKENV_PREFIX
        if functions -q _dkenv_old_fish_prompt
            # the old prompt sees the status of the last command, as before
            echo "exit $dkenv_status" | source
            _dkenv_old_fish_prompt
        end
    end
end
