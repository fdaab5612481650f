"""IDE configuration: what VS Code (vscode.py) and PyCharm (pycharm.py) need to use the
project interpreter `.dkenv/bin/python` and the copy of site-packages."""
