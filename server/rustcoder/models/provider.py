"""Which onnxruntime build is installed and which execution provider runs local models.

`onnxruntime` and `onnxruntime-gpu` install the same `onnxruntime` module, so
the distribution name, not the import, tells which one is there; both at once
is a broken install (whichever was installed last wins, silently). `model
info` and `rustcoder doctor` print `provider_line()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata

from rustcoder.models.onnx_runtime import CUDA, available_providers, choose_provider

DISTRIBUTIONS = ("onnxruntime-gpu", "onnxruntime")


@dataclass(frozen=True)
class ProviderReport:
    #: Installed onnxruntime distributions with their versions, e.g. {"onnxruntime": "1.32.0"}.
    distributions: dict[str, str]
    available: list[str]
    #: What a local model runs on with device "auto".
    chosen: str

    @property
    def problem(self) -> str | None:
        if len(self.distributions) > 1:
            return (
                "both onnxruntime and onnxruntime-gpu are installed and share one module: "
                "`pip uninstall onnxruntime onnxruntime-gpu`, then install one of them"
            )
        if "onnxruntime-gpu" in self.distributions and CUDA not in self.available:
            return "onnxruntime-gpu is installed but CUDA is not usable (no GPU or CUDA libraries)"
        return None


def provider_report() -> ProviderReport:
    found = {}
    for name in DISTRIBUTIONS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return ProviderReport(
        distributions=found, available=available_providers(), chosen=choose_provider("auto")
    )


def provider_line(report: ProviderReport | None = None) -> str:
    """One line: the provider that runs, the package behind it, and any install problem."""
    report = report or provider_report()
    packages = ", ".join(f"{n} {v}" for n, v in report.distributions.items()) or "onnxruntime"
    line = f"{report.chosen} ({packages}; available: {', '.join(report.available)})"
    if report.problem:
        line += f" - {report.problem}"
    return line
