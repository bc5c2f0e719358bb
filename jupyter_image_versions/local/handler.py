"""One request in, one response out: dispatch by X-Amz-Target, validation, fault injection."""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from .ecr_layers import OPERATIONS as LAYER_OPERATIONS
from .ecr_layers import EcrLayers
from .ecr_ops import EcrOps
from .names import region_from_authorization, request_region
from .protocol import CONTENT_TYPE, ApiError, encode, parse_body, parse_target, service_model
from .protocol import validate_input as _validate
from .rate_limit import RateLimit
from .sagemaker_ops import SageMakerOps
from .store import Store
from .studio_ops import OPERATIONS as STUDIO_OPERATIONS
from .studio_ops import StudioOps

log = logging.getLogger(__name__)

SAGEMAKER_OPERATIONS = frozenset(
    {
        "CreateImage",
        "DescribeImage",
        "ListImages",
        "UpdateImage",
        "DeleteImage",
        "CreateImageVersion",
        "DescribeImageVersion",
        "ListImageVersions",
        "UpdateImageVersion",
        "DeleteImageVersion",
        "ListAliases",
    }
    | STUDIO_OPERATIONS
)
ECR_OPERATIONS = frozenset(
    {"CreateRepository", "DescribeRepositories", "PutImage", "DescribeImages", "BatchGetImage"}
    | {"ListImages"}
    | LAYER_OPERATIONS
)

Response = tuple[int, dict[str, str], bytes]

#: Operations that AWS refuses with ResourceInUse "modified concurrently" under concurrency.
CONFLICT_OPERATIONS = frozenset({"CreateImageVersion", "UpdateImageVersion"})


class Faults:
    """Injected latency, throttling and server errors, drawn from one seeded RNG.

    `rate_limit` (requests per second per operation, bursts of `burst`) throttles like AWS's
    token buckets, on top of the random `throttle_rate`."""

    def __init__(
        self,
        latency_ms: float = 0,
        throttle_rate: float = 0.0,
        error_rate: float = 0.0,
        seed: int | None = None,
        rate_limit: float | None = None,
        burst: float | None = None,
    ) -> None:
        self.latency_ms = latency_ms
        self.throttle_rate = throttle_rate
        self.error_rate = error_rate
        self.rate_limit = RateLimit(rate_limit, burst) if rate_limit else None
        self.conflict_rate = 0.0  # ResourceInUse "modified concurrently" (CONFLICT_OPERATIONS)
        self.delete_failure_rate = 0.0  # deletes that end in DELETE_FAILED
        self._random = random.Random(seed)  # throttling and errors, per request
        # Conflicts and delete failures draw from their own generator, so how many requests
        # came before (polls, which depend on the machine's speed) does not shift them.
        self._decisions = random.Random(seed)
        self._lock = threading.Lock()

    def reseed(self, seed: int) -> None:
        """Start both generators again from `seed` (a repeatable run from here on)."""
        with self._lock:
            self._random.seed(seed)
            self._decisions.seed(seed)

    def chance(self, rate: float) -> bool:
        """True with probability `rate`, from the seeded generator of decisions."""
        if not rate:
            return False
        with self._lock:
            return self._decisions.random() < rate

    def conflict(self, service: str, operation: str) -> None:
        """Maybe refuse a version create/update as AWS does when another change is under way."""
        relevant = service == "sagemaker" and operation in CONFLICT_OPERATIONS
        if relevant and self.chance(self.conflict_rate):
            raise ApiError(
                "ResourceInUse",
                "The image was modified concurrently by another request; try again (injected).",
            )

    def set(
        self,
        latency_ms: float | None = None,
        throttle_rate: float | None = None,
        error_rate: float | None = None,
    ) -> None:
        """Change the given settings; ``None`` leaves one as it is."""
        if latency_ms is not None:
            self.latency_ms = latency_ms
        if throttle_rate is not None:
            self.throttle_rate = throttle_rate
        if error_rate is not None:
            self.error_rate = error_rate

    def apply(self, operation: str = "") -> None:
        """Sleep, then maybe raise ThrottlingException or InternalFailure."""
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        with self._lock:  # no draw for a fault that is off: the others' sequence stays put
            throttle = bool(self.throttle_rate) and self._random.random() < self.throttle_rate
            error = bool(self.error_rate) and self._random.random() < self.error_rate
        if self.rate_limit is not None and not throttle:
            throttle = not self.rate_limit.take(operation)
        if throttle:
            raise ApiError("ThrottlingException", "Rate exceeded")
        if error:
            raise ApiError(
                "InternalFailure", "The request processing has failed (injected).", status=500
            )


class Handler:
    """Answers AWS JSON 1.1 requests for the SageMaker and ECR operations the project uses."""

    def __init__(
        self,
        store: Store,
        create_delay: float = 0.5,
        faults: Faults | None = None,
        delete_delay: float | None = None,
    ):
        self.store = store
        self.faults = faults or Faults()
        self.sagemaker = SageMakerOps(
            store, create_delay=create_delay, delete_delay=delete_delay, faults=self.faults
        )
        self.ecr = EcrOps(store)
        self.layers = EcrLayers(store)
        self.studio = StudioOps(store, ready=lambda: self.sagemaker.create_delay)
        self.request_count = 0
        self._count_lock = threading.Lock()

    def _operation(self, service: str, name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        implemented = SAGEMAKER_OPERATIONS if service == "sagemaker" else ECR_OPERATIONS
        if name not in implemented:
            raise ApiError(
                "UnknownOperationException", f"The local endpoint does not implement {name}."
            )
        if name in STUDIO_OPERATIONS:
            return getattr(self.studio, name)
        if service == "ecr" and name in LAYER_OPERATIONS:
            return getattr(self.layers, name)
        return getattr(self.sagemaker if service == "sagemaker" else self.ecr, name)

    def handle(
        self, target: str, body: bytes | str | None, authorization: str | None = None
    ) -> Response:
        """Answer one request: ``(HTTP status, headers, JSON body)``.

        ARNs in the answer carry the region of `authorization`'s SigV4 credential scope.
        """
        with self._count_lock:
            self.request_count += 1
        request_id = str(uuid.uuid4())
        try:
            service, name = parse_target(target)
            operation = self._operation(service, name)
            self.faults.apply(name)
            params = parse_body(body)
            _validate(service, service_model(service).operation_model(name), params)
            self.faults.conflict(service, name)
            with request_region(region_from_authorization(authorization)):
                status, payload = 200, encode(operation(params))
        except ApiError as err:
            status, payload = err.status, err.body()
        except Exception:  # a bug here must still look like an AWS 500 to the client
            log.exception("local endpoint: %s failed", target)
            status = 500
            payload = ApiError("InternalFailure", "Internal error in the local endpoint").body()
        headers = {
            "Content-Type": CONTENT_TYPE,
            "Content-Length": str(len(payload)),
            "x-amzn-RequestId": request_id,
        }
        return status, headers, payload
