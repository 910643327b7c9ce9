"""Which onnxruntime package and provider run local models (`model info`, doctor)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rustcoder.cli import main
from rustcoder.models.onnx_runtime import CPU, CUDA
from rustcoder.models.provider import ProviderReport, provider_line, provider_report


def test_this_install_reports_the_cpu_package_and_provider() -> None:
    report = provider_report()
    assert "onnxruntime" in report.distributions and report.chosen == CPU
    assert report.problem is None
    line = provider_line(report)
    assert line.startswith(f"{CPU} (onnxruntime ") and CPU in line.split("available: ")[1]


def test_both_packages_or_a_gpu_package_without_cuda_are_reported() -> None:
    both = ProviderReport({"onnxruntime-gpu": "1.32.0", "onnxruntime": "1.32.0"}, [CPU], CPU)
    assert "both onnxruntime and onnxruntime-gpu" in provider_line(both)
    no_cuda = ProviderReport({"onnxruntime-gpu": "1.32.0"}, [CPU], CPU)
    assert "CUDA is not usable" in provider_line(no_cuda)
    gpu = ProviderReport({"onnxruntime-gpu": "1.32.0"}, [CUDA, CPU], CUDA)
    assert provider_line(gpu).startswith(f"{CUDA} (onnxruntime-gpu 1.32.0;")


def test_model_info_prints_the_provider_line(hf_cache: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rustcoder", "model", "info", "tiny-coder"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"provider        {provider_line()}" in result.stdout


def test_doctor_reports_the_model_runtime(capsys: pytest.CaptureFixture[str]) -> None:
    main(["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(capsys.readouterr().out)["checks"]}
    runtime = checks["model runtime"]
    assert runtime["ok"] and runtime["detail"] == provider_line()
