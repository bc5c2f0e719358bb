"""An embedded local SageMaker + ECR endpoint (AWS JSON 1.1), in-process or over HTTP.

>>> ep = LocalEndpoint()
>>> sm = ep.client("sagemaker")            # a real boto3 client, answered in-process
>>> server = ep.serve_http(port=0)         # or on a socket, for the AWS CLI
"""

from .endpoint import LocalEndpoint, main_http
from .handler import Faults, Handler
from .http_server import LocalHTTPServer
from .names import LOCAL_ACCOUNT, LOCAL_REGION, REGISTRY
from .protocol import ApiError
from .store import Store

__all__ = [
    "LOCAL_ACCOUNT",
    "LOCAL_REGION",
    "REGISTRY",
    "ApiError",
    "Faults",
    "Handler",
    "LocalEndpoint",
    "LocalHTTPServer",
    "Store",
    "main_http",
]
