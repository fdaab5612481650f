
# Completion (click's protocol): a TAB press asks dkenv with _DKENV_COMPLETE set;
# nothing runs at shell start.
function __dkenv_complete
    set -lx COMP_WORDS (commandline -cp)
    set -lx COMP_CWORD (commandline -t)
    set -lx _DKENV_COMPLETE fish_complete
    for dkenv_item in (@DKENV@ 2>/dev/null)
        set -l dkenv_parts (string split -m 1 , -- $dkenv_item)
        switch $dkenv_parts[1]
            case dir
                __fish_complete_directories $dkenv_parts[2]
            case file
                __fish_complete_path $dkenv_parts[2]
            case plain
                printf '%s\n' $dkenv_parts[2]
        end
    end
end
complete --erase --command dkenv
complete --no-files --command dkenv --arguments '(__dkenv_complete)'
