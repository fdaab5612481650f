
# Completion (click's protocol): a TAB press runs dkenv with _DKENV_COMPLETE set;
# nothing runs at shell start.
__dkenv_complete() {
    local IFS=$'\n' __dkenv_reply __dkenv_item __dkenv_type __dkenv_value
    __dkenv_reply=$(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD="$COMP_CWORD" _DKENV_COMPLETE=bash_complete \
                    @DKENV@ 2>/dev/null)
    COMPREPLY=()
    for __dkenv_item in $__dkenv_reply; do
        IFS=, read -r __dkenv_type __dkenv_value <<< "$__dkenv_item"
        case $__dkenv_type in
            dir) COMPREPLY=(); compopt -o dirnames; return 0 ;;
            file) COMPREPLY=(); compopt -o default; return 0 ;;
            plain) COMPREPLY+=("$__dkenv_value") ;;
        esac
    done
    return 0
}
complete -o nosort -F __dkenv_complete dkenv 2>/dev/null || complete -F __dkenv_complete dkenv
