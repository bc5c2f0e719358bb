"""JupyterLab for the Galata tests (galata's pattern): no token, a free port, root allowed.

`jupyter image-versions demo` (start-jupyter.sh) adds the extension on the local backend.
"""

import os

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # noqa: F821 (provided by the config loader)
configure_jupyter_server(c)

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = int(os.environ["IV_UI_PORT"])
c.ServerApp.allow_root = True
