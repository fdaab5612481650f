
# Completion (click's protocol): a TAB press runs dkenv with _DKENV_COMPLETE set;
# nothing runs at shell start. Registered once compinit has run (now, or at the
# first prompt when the hook comes before compinit in ~/.zshrc).
__dkenv_complete() {
    local -a __dkenv_reply __dkenv_plain __dkenv_described
    local __dkenv_type __dkenv_key __dkenv_descr
    __dkenv_reply=("${(@f)$(env COMP_WORDS="${words[*]}" COMP_CWORD=$((CURRENT-1)) _DKENV_COMPLETE=zsh_complete \
                            @DKENV@ 2>/dev/null)}")
    for __dkenv_type __dkenv_key __dkenv_descr in ${__dkenv_reply}; do
        case $__dkenv_type in
            plain)
                if [[ $__dkenv_descr == _ ]]; then
                    __dkenv_plain+=("$__dkenv_key")
                else
                    __dkenv_described+=("$__dkenv_key:$__dkenv_descr")
                fi ;;
            dir) _path_files -/ ;;
            file) _path_files -f ;;
        esac
    done
    (( ${#__dkenv_described} )) && _describe -V unsorted __dkenv_described -U
    (( ${#__dkenv_plain} )) && compadd -U -V unsorted -a __dkenv_plain
    return 0
}

__dkenv_compdef() {
    (( $+functions[compdef] )) || return 0
    compdef __dkenv_complete dkenv
    add-zsh-hook -d precmd __dkenv_compdef
}

autoload -Uz add-zsh-hook
if (( $+functions[compdef] )); then
    compdef __dkenv_complete dkenv
else
    add-zsh-hook precmd __dkenv_compdef
fi
