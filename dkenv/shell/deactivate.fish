# dkenv: deactivate the active project in this fish, evaluated by the dkenv hook:
# the shims dir leaves PATH, the old fish_prompt comes back, nothing else moves.
if set -q DKENV_PROJECT
    set -q _DKENV_SHIMS; or set -g _DKENV_SHIMS "$DKENV_PROJECT/.dkenv/shims"
    if set -l dkenv_index (contains -i -- $_DKENV_SHIMS $PATH)
        set -e PATH[$dkenv_index[1]]
    end
    if set -q _DKENV_PREFIX
        functions -e fish_prompt
        if functions -q _dkenv_old_fish_prompt
            functions -c _dkenv_old_fish_prompt fish_prompt
            functions -e _dkenv_old_fish_prompt
        end
    end
    set -e DKENV_PROJECT
    set -e DKENV_ACTIVE_NAME
    set -e _DKENV_SHIMS
    set -e _DKENV_AUTO
    set -e _DKENV_PREFIX
end
