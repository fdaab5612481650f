
# zsh: a precmd hook (zsh keeps $? for the prompt); add-zsh-hook adds it once.
__dkenv_precmd() {
    __dkenv_auto
}

if [[ -n $__DKENV_AUTO ]]; then
    autoload -Uz add-zsh-hook
    add-zsh-hook precmd __dkenv_precmd
fi
