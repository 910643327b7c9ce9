"""Which onnxruntime package and provider run local models (`model info`, doctor)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rustcoder.cli import main
from rustcoder.models import onnx_runtime
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


@pytest.mark.parametrize(("cpus", "threads"), [(1, 1), (2, 1), (8, 4), (16, 8), (64, 16)])
def test_default_threads_are_half_the_cpus_this_process_may_use(
    cpus: int, threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_runtime.os, "sched_getaffinity", lambda _pid: set(range(cpus)))
    assert onnx_runtime.default_threads() == threads


def test_a_session_gets_the_default_threads(
    tiny_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(onnx_runtime, "default_threads", lambda: 3)
    session = onnx_runtime.open_session(tiny_dir / "onnx" / "model.onnx", device="cpu")
    assert session.session.get_session_options().intra_op_num_threads == 3
