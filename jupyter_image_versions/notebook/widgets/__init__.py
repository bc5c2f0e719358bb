"""The notebook panel: pure ipywidgets 8, no custom JavaScript."""

from .form import RegistrationForm
from .history import HistoryView
from .panel import ImageVersionPanel

__all__ = ["HistoryView", "ImageVersionPanel", "RegistrationForm"]
