# dkenv's docker exec runner: one command in the project container through `docker exec`, with
# signal forwarding and a watchdog. Rendered into every shim (shim.sh's `# @include run.sh`)
# and run by the lean `dkenv exec` (exec.sh): one text, one behaviour, no Python waiting.
#
# The caller sets dkenv_docker, dkenv_user (UID:GID), dkenv_cwd, dkenv_container,
# dkenv_token_var, dkenv_killer, dkenv_watcher, dkenv_reaper (exec/execution.py,
# watchdog.py), dkenv_rundir (the watchdog's fifo goes there) and dkenv_done STATUS (ends the
# script), pins the docker CLI to its engine, and without a terminal on both ends makes sure
# setsid exists. "$@" is what follows docker exec's own options: [-e VAR[=VALUE]]... CONTAINER
# sh -c LAUNCHER dkenv ARGV...
#
# `-it` with a terminal on both ends (Ctrl-C travels through the container's tty), else `-i`
# in a session of its own (a Ctrl-C on the terminal reaches only this script). docker exec
# forwards no signal, so the command carries a unique token and a signal to this script is
# sent, through a second exec, to every process holding it.
if [ -t 0 ] && [ -t 1 ]; then dkenv_tty=1; else dkenv_tty=; fi
dkenv_token=
{ read -r dkenv_token </proc/sys/kernel/random/uuid; } 2>/dev/null
dkenv_token=$$-${dkenv_token:-shim}

dkenv_sent=
dkenv_forward() {
    dkenv_sent="$dkenv_sent $1"
    "$dkenv_docker" exec -u "$dkenv_user" "$dkenv_container" sh -c "$dkenv_killer" dkenv-kill "$dkenv_token" "$1" \
        >/dev/null 2>&1 </dev/null 4>&-
}
trap 'dkenv_forward INT' INT
trap 'dkenv_forward TERM' TERM
trap 'dkenv_forward HUP' HUP

# The watchdog (a session of its own, reading a fifo only this script writes): when this
# script is killed before it says `done`, it kills the docker client and ends the command
# in the container, which would otherwise go on running.
dkenv_lifeline=
dkenv_fifo=$dkenv_rundir/exec-$$.fifo
if command -v setsid >/dev/null 2>&1 && { mkfifo -m 600 "$dkenv_fifo" || { rm -f "$dkenv_fifo" &&
        mkfifo -m 600 "$dkenv_fifo"; }; } 2>/dev/null; then
    setsid /bin/sh -c "$dkenv_watcher" dkenv-watch "$dkenv_docker" "$dkenv_user" "$dkenv_container" "$dkenv_reaper" \
        "$dkenv_token" "$dkenv_fifo" <"$dkenv_fifo" >/dev/null 2>&1 &
    exec 4>"$dkenv_fifo"
    dkenv_lifeline=1
fi

# (stdin through fd 3: a background job's own stdin is /dev/null; a closed stdin is /dev/null)
{ command exec 3<&0; } 2>/dev/null || exec 3</dev/null
if [ -n "$dkenv_tty" ]; then
    "$dkenv_docker" exec -it -e "TERM=${TERM:-xterm}" -u "$dkenv_user" -w "$dkenv_cwd" -e "$dkenv_token_var=$dkenv_token" \
        "$@" <&3 3<&- 4>&- &
else
    setsid -w "$dkenv_docker" exec -i -u "$dkenv_user" -w "$dkenv_cwd" -e "$dkenv_token_var=$dkenv_token" \
        "$@" <&3 3<&- 4>&- &
fi
dkenv_child=$!
exec 3<&-
if [ -n "$dkenv_lifeline" ]; then
    trap '' PIPE; echo "pid $dkenv_child" >&4; trap - PIPE
fi
# a trapped signal interrupts `wait`: wait again until docker itself has ended
while :; do
    wait "$dkenv_child"
    dkenv_status=$?
    kill -0 "$dkenv_child" 2>/dev/null || break
done
# reaped while the trap ran: the shell still knows its real status
if [ "$dkenv_status" -gt 128 ]; then
    wait "$dkenv_child" 2>/dev/null
    dkenv_again=$?
    [ "$dkenv_again" -eq 127 ] || dkenv_status=$dkenv_again
fi
# docker died of a signal (SIGPIPE: the host reader went away; SIGHUP: its terminal
# closed...): the command in the container gets it too, as a local one would
case $dkenv_status in
    129) dkenv_sig=HUP ;; 137) dkenv_sig=KILL ;; 141) dkenv_sig=PIPE ;; 143) dkenv_sig=TERM ;; *) dkenv_sig= ;;
esac
case "$dkenv_sent " in *" $dkenv_sig "*) dkenv_sig= ;; esac
[ -n "$dkenv_sig" ] && dkenv_forward "$dkenv_sig"
# the watchdog's lifeline: the command ended normally (a gone watchdog must not SIGPIPE us)
if [ -n "$dkenv_lifeline" ]; then
    trap '' PIPE; echo done >&4; exec 4>&-; trap - PIPE
fi
dkenv_done "$dkenv_status"
