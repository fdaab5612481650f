# The lean `dkenv exec`'s docker exec path (commands/_lean.py execs /bin/sh with this file): the
# shims' own runner, run.sh, so signals, the watchdog, SIGPIPE and the exit status behave as
# in a shim, with no Python process waiting in the middle. The docker CLI is pinned through
# the environment it got.
#     exec.sh DOCKER UID:GID CWD RUNDIR TOKEN_VAR KILLER WATCHER REAPER CONTAINER
#             [-e VAR=VALUE]... CONTAINER sh -c LAUNCHER dkenv ARGV...
dkenv_docker=$1 dkenv_user=$2 dkenv_cwd=$3 dkenv_rundir=$4 dkenv_token_var=$5 dkenv_killer=$6
dkenv_watcher=$7 dkenv_reaper=$8 dkenv_container=$9
shift 9
dkenv_done() {
    exit "$1"
}
. "${0%/*}/run.sh"
