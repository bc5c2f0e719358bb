"""ImageVersionPanel: choose or create an image, register, derive, browse and change history.

Service calls run on background threads (worker.py): the kernel stays free; errors are messages."""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as w

from ...core.errors import CreateFailed, ImageVersionsError, SpecError
from ...core.labels import enum_words
from ...core.models import ImageVersion
from ...core.spec import ImageVersionSpec
from ..html import message_html
from .contents import ContentsView
from .derive import DeriveView
from .doctor import DoctorView
from .export import ExportView
from .form import LABEL, NOT_SET, RegistrationForm, show_problems
from .history import HistoryView
from .worker import Worker

NEW_IMAGE_FIELDS = ("image_name", "role_arn")
POLL_SECONDS = 1.0  # how often a page showing a DELETING version is loaded again


class ImageVersionPanel(w.VBox):
    """Manage one SageMaker image's versions in a notebook (`%imageversion panel [IMAGE]`)."""

    def __init__(
        self, image_name: str | None = None, service: Any = None, *, page_size: int = 10
    ) -> None:
        self.page_size = page_size
        self._page_tokens: list[str | None] = [None]
        self._page = 0
        self._next_token: str | None = None
        self._history_generation = 0

        self.title = w.HTML("<b>SageMaker image versions</b>")
        self.backend_note = w.HTML(message_html("Backend: connecting…"))
        self.status = w.HTML()
        self.image = w.Dropdown(description="Image", options=[(NOT_SET, None)], style=LABEL)
        self.refresh_images_button = w.Button(description="Reload images", icon="refresh")
        self.new_image_button = w.ToggleButton(description="New image…", icon="plus")
        self.new_image_name = w.Text(description="New image name", style=LABEL)
        self.new_image_role = w.Text(
            description="Role ARN",
            placeholder="arn:aws:iam::<account>:role/<role SageMaker pulls with>",
            style=LABEL,
            layout=w.Layout(width="95%"),
        )
        self.create_image_button = w.Button(description="Create image", button_style="primary")
        self.new_image_problems = {name: w.HTML() for name in NEW_IMAGE_FIELDS}
        self.new_image_box = w.VBox(
            [
                self.new_image_name,
                self.new_image_problems["image_name"],
                self.new_image_role,
                self.new_image_problems["role_arn"],
                self.create_image_button,
            ],
            layout=w.Layout(display="none"),
        )
        self.form = RegistrationForm()
        self.problems = self.form.problems
        self.history = HistoryView()
        self.export = ExportView()
        self.worker = Worker(self._show_error)
        self.doctor = DoctorView(self.worker, lambda: self.service)
        self.contents = ContentsView(self.worker, lambda: self.service, self.image, self.history)
        self.derive = DeriveView(self)  # the section after the history: derive from its choice
        self._wire()
        super().__init__(
            [
                self.title,
                self.backend_note,
                self.status,
                w.HBox([self.image, self.refresh_images_button, self.new_image_button]),
                self.new_image_box,
                w.HTML("<b>Register a new version</b>"),
                self.form,
                self.doctor,
                w.HTML("<b>History</b>"),
                self.history,
                self.contents,
                self.derive,
                w.HTML("<b>Export as infrastructure code</b>"),
                self.export,
            ]
        )
        self.new_image_role.value = _studio_role() or ""
        self.service = service
        if service is None:
            try:
                from ...api import ImageVersions

                self.service = ImageVersions.from_settings()
            except ImageVersionsError as exc:
                self._show_error(exc.message, exc)
                return
        gate = getattr(self.service, "gate", None)
        if gate is not None:  # say so while AWS throttles and a call is retried
            gate.add_listener(
                lambda op, attempt, waited: self.show_message(
                    f"AWS is throttling {op}; retrying (attempt {attempt + 1}, {waited:.0f} s)…"
                )
            )
        self.worker.submit(self._load_context)
        self.worker.submit(self._load_images, image_name)
        self.worker.submit(self._load_repositories)

    # -- wiring ------------------------------------------------------------------------------

    def _wire(self) -> None:
        self.image.observe(lambda _: self._image_changed(), names="value")
        self.refresh_images_button.on_click(lambda _: self.worker.submit(self._load_images, None))
        self.new_image_button.observe(lambda c: self._toggle_new_image(c["new"]), names="value")
        self.create_image_button.on_click(lambda _: self._create_image())
        self.form.ecr_repository.observe(lambda _: self._repository_changed(), names="value")
        self.form.ecr_tag.observe(lambda _: self._tag_changed(), names="value")
        self.form.register_button.on_click(lambda _: self.register())
        w.dlink((self.form.base_image, "value"), (self.doctor.image, "value"))
        h = self.history
        h.prev_button.on_click(lambda _: self._go_page(self._page - 1))
        h.next_button.on_click(lambda _: self._go_page(self._page + 1))
        h.refresh_button.on_click(lambda _: self.refresh_history())
        h.add_alias_button.on_click(lambda _: self._act("add_alias"))
        h.remove_alias_button.on_click(lambda _: self._act("remove_alias"))
        h.move_alias_button.on_click(lambda _: self._act("move_alias"))
        h.guidance_button.on_click(lambda _: self._act("guidance"))
        h.delete_button.on_click(lambda _: h.ask_delete())
        h.confirm_delete_button.on_click(lambda _: self._act("delete"))
        h.attach_button.on_click(lambda _: self._act("attach"))
        h.check_image_button.on_click(lambda _: self.doctor.check_version(h.selected))
        self.export.export_button.on_click(lambda _: self.export_code())

    def show_message(self, text: str, kind: str = "info") -> None:
        self.status.value = message_html(text, kind)

    def _show_error(self, message: str, exc: BaseException | None = None) -> None:
        self.show_message(message, "error")

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait for background work (loads, a registration) to finish; False on timeout."""
        return self.worker.wait_idle(timeout)

    # -- backend, images and the ECR picker --------------------------------------------------

    def _load_context(self) -> None:
        try:
            info = self.service.context()
        except ImageVersionsError as exc:
            self.backend_note.value = message_html(f"Backend: {exc.message}", "error")
            return
        if info.get("backend") == "local":
            text = "Backend: LOCAL (embedded SageMaker endpoint, no AWS calls)"
            if info.get("local_db"):
                text += f" · state in {info['local_db']}"
        else:
            text = f"Backend: AWS account {info.get('account')} · region {info.get('region')}"
        studio = info.get("studio") or {}
        if studio.get("domain_id"):
            text += f" · Studio domain {studio['domain_id']}"
            if not self.history.attach_domain.value:
                self.history.attach_domain.value = studio["domain_id"]
        if studio.get("execution_role") and not self.new_image_role.value:
            self.new_image_role.value = studio["execution_role"]  # resolved as the SDK does
        self.backend_note.value = message_html(text)

    def _load_images(self, select: str | None) -> None:
        names = [image.name for image in self.service.images()]
        wanted = select or self.image.value
        if select and select not in names:
            self.new_image_name.value = select
            self.new_image_button.value = True
            self.show_message(f"Image '{select}' does not exist yet: create it below.", "warning")
            wanted = None
        self.image.options = [(NOT_SET, None), *((n, n) for n in names)]
        self.image.value = wanted if wanted in names else None
        if self.image.value is None and not names and not select:
            self.show_message("No images yet: create one with “New image…”.")

    def _image_changed(self) -> None:
        self.form.image_name = self.image.value
        self.form.validate()
        self.refresh_history(first_page=True)

    def _toggle_new_image(self, show: bool) -> None:
        self.new_image_box.layout.display = None if show else "none"

    def _create_image(self) -> None:
        name, role = self.new_image_name.value.strip(), self.new_image_role.value.strip()
        for widget in self.new_image_problems.values():
            widget.value = ""

        def create() -> None:
            try:
                image = self.service.create_image(name or None, role_arn=role or None)
            except SpecError as exc:
                labels = {"name": "New image name", "image_name": "New image name"}
                labels["role_arn"] = "Role ARN"
                shown = show_problems(
                    self.new_image_problems, exc.problems, lambda f: labels.get(f, f)
                )
                self._show_error(shown or exc.message, exc)
                return
            self.show_message(f"Created image {image.name}.", "success")
            self.new_image_button.value = False
            self._load_images(image.name)

        self.worker.submit(create)

    def _load_repositories(self) -> None:
        repos = self.service.ecr_repositories()
        self.form.ecr_repository.options = [
            (NOT_SET, None),
            *((r["name"], r["name"]) for r in repos),
        ]

    def _repository_changed(self) -> None:
        repo = self.form.ecr_repository.value
        self.form.ecr_tag.options = [(NOT_SET, None)]
        if repo is None:
            return

        def load() -> None:
            images = self.service.ecr_images(repo)
            if self.form.ecr_repository.value == repo:
                self.form.ecr_tag.options = [
                    (NOT_SET, None),
                    *((i["tag"], i["uri"]) for i in images),
                ]

        self.worker.submit(load)

    def _tag_changed(self) -> None:
        if self.form.ecr_tag.value:
            self.form.base_image.value = self.form.ecr_tag.value
            self.doctor.check()  # the picked image is checked before Register

    # -- registering -------------------------------------------------------------------------

    def register(self) -> None:
        """What Register does: check the spec, then create and poll in the background."""
        if self.form.validate(show_all=True):
            return
        spec = self.form.spec()
        self.form.set_busy(True)
        self._progress(f"Registering {spec.base_image} as a new version of {spec.image_name}…")
        self.worker.submit(self._register, spec, on_error=self._register_failed)

    def _register(self, spec: ImageVersionSpec) -> None:
        try:
            created = self.service.register(spec, wait=False)
            self._show_progress(created)
            self.refresh_history(first_page=True)
            done = self.service.wait(
                spec.image_name, created.version, on_status=self._show_progress
            )
        except CreateFailed as exc:
            self._progress(f"{spec.image_name} version failed: {exc.reason}", "error")
            self.refresh_history(first_page=True)
            return
        finally:
            self.form.set_busy(False)
        note = f"{done.image_name} version {done.version} is {enum_words(done.status).lower()}."
        warnings = "; ".join(spec.warnings().values())
        self._progress(note + (f"\nNote: {warnings}" if warnings else ""), "success")
        self.refresh_history(first_page=True)

    def _register_failed(self, message: str, exc: BaseException) -> None:
        self.form.set_busy(False)
        if isinstance(exc, SpecError) and exc.problems:
            message = self.form.show_server_problems(exc.problems)
        self._progress(f"Registration failed: {message}", "error")

    def _show_progress(self, version: ImageVersion) -> None:
        kind = "error" if version.status.endswith("FAILED") else "info"
        text = f"{version.image_name} version {version.version}: {enum_words(version.status)}"
        if version.failure_reason:
            text += f": {version.failure_reason}"
        self._progress(text, kind)

    def _progress(self, text: str, kind: str = "info") -> None:
        self.form.progress.value = message_html(text, kind)

    # -- history -----------------------------------------------------------------------------

    def refresh_history(self, first_page: bool = False) -> None:
        """Reload the current page (or the newest) in the background."""
        if first_page:
            self._page_tokens, self._page = [None], 0
        image = self.image.value
        if image is None:
            self.history.clear("Choose an image to see its versions.")
            return
        self._history_generation += 1
        self.worker.submit(self._load_history, image, self._page, self._history_generation)

    def _go_page(self, page: int) -> None:
        if page < 0:
            return
        if page >= len(self._page_tokens):
            if not self._next_token:
                return
            self._page_tokens.append(self._next_token)
        self._page = page
        self.refresh_history()

    def _load_history(self, image: str, page: int, generation: int) -> None:
        versions, next_token, aliases = self.service.history_page(
            image, limit=self.page_size, next_token=self._page_tokens[page]
        )
        if generation != self._history_generation:
            return  # a newer load was asked for meanwhile
        self._next_token = next_token
        self.history.show(image, versions, aliases, page)
        self.history.prev_button.disabled = page == 0
        self.history.next_button.disabled = not next_token
        if any(v.status == "DELETING" for v in versions):
            self.worker.submit(self._poll_history, generation)

    def _poll_history(self, generation: int) -> None:
        """A shown version is DELETING: load the page again shortly, until it is gone."""
        time.sleep(POLL_SECONDS)
        if generation == self._history_generation:
            self.refresh_history()

    def _act(self, action: str) -> None:
        """Run one per-version action on the selected version, then reload the page."""
        h, image, chosen = self.history, self.image.value, self.history.selected
        if image is None or chosen is None:
            return
        number = chosen.version
        h.hide_confirm()

        def run() -> None:
            if action == "add_alias":
                alias = h.alias_name.value.strip()
                self.service.update(image, number, aliases_to_add=[alias])
                h.alias_name.value = ""
                done = f"Added alias '{alias}' to {image} version {number}."
            elif action == "remove_alias":
                alias = h.remove_alias.value
                self.service.update(image, number, aliases_to_delete=[alias])
                done = f"Removed alias '{alias}' from {image} version {number}."
            elif action == "move_alias":
                alias = h.move_alias.value
                self.service.move_alias(image, alias, number)
                done = f"Moved alias '{alias}' to {image} version {number}."
            elif action == "attach":
                domain, app = h.attach_domain.value.strip(), h.attach_app_type.value
                force = h.attach_force.value  # the doctor's errors refuse it otherwise
                self.service.attach(image, number, domain_id=domain, app_type=app, force=force)
                done = f"Attached {image} version {number} to Studio domain {domain} ({app})."
            elif action == "guidance":
                value = h.guidance.value
                self.service.update(image, number, vendor_guidance=value)
                done = f"{image} version {number} vendor guidance is {value}."
            else:
                self.service.delete(image, number)
                self.show_message(f"Deleting {image} version {number}…")
                self.refresh_history()  # shows it DELETING (greyed, no actions) until it is gone
                self.service.wait_deleted(image, number)
                done = f"Deleted {image} version {number}."
            self.show_message(done, "success")
            self.refresh_history()

        self.worker.submit(run)

    def export_code(self) -> None:
        """What Export does: the chosen image as CloudFormation, CDK or Terraform code."""
        image = self.image.value
        if image is None:
            self.export.show_problem("Choose an image to export.")
            return
        options = self.export.options()

        def run() -> None:
            self.export.show(self.service.export(image, **options))
            self.show_message(f"Exported {image} as {self.export.format.label}.", "success")

        def failed(message: str, exc: BaseException) -> None:
            self.export.show_problem(message)
            self._show_error(f"Export failed: {message}", exc)

        self.worker.submit(run, on_error=failed)

    def close(self) -> None:
        self.worker.shutdown()
        super().close()


def _studio_role() -> str | None:
    from ...studio.context import read_context

    return getattr(read_context(), "execution_role", None)
