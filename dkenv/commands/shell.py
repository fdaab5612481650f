"""`dkenv shell`: an interactive bash in the project container."""
from __future__ import annotations

from dkenv.commands._ready import running_project
from dkenv.exec import execution


def run(opts) -> int:
    project, workdir, record = running_project(opts)
    prompt = f'PS1="(dkenv:{project.name}) \\u@\\h:\\w\\$ "'
    # interactive on a terminal; fed by a pipe (`dkenv shell < script.sh`), a plain bash
    # reads the commands without job-control warnings or prompts
    argv = ["bash", "-i"] if execution.wants_tty() else ["bash"]
    return execution.run(project, argv, workdir=workdir, env={"PROMPT_COMMAND": prompt}, user=record.user,
                         cli_env=record.cli_env, try_agent=bool(record.pid))
