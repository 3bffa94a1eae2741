"""Builds the Python package offroi: setuptools drives CMake (pyproject.toml).

    python3 -m venv --system-site-packages ~/.venvs/offroi && . ~/.venvs/offroi/bin/activate
    pip install --no-build-isolation --no-index .     # offline; README, "Install the Python package"

`build_ext` configures this repository with CMake (Release, as the build tree; no tests,
benchmarks, CLI or install rules) in build/pip/temp.<platform>-<python>/cmake, builds only
the target offroi_python_core (liboffroi and the pybind11 module offroi._core) for the
interpreter running pip, and copies the module into the wheel beside the pure-Python package
python/offroi. The installed package needs nothing from the clone.

Environment:
    CMAKE_BUILD_PARALLEL_LEVEL  parallel compile jobs (default: the number of CPUs)
    CMAKE_ARGS                  extra arguments for the CMake configure step (last, so they
                                override)
    CMAKE_GENERATOR             CMake's own variable (default: Ninja if found, else Makefiles)
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def cmake_project_version() -> str:
    """The version in CMakeLists.txt's ``project(offroi VERSION x.y.z ...)``."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*offroi\s+VERSION\s+([0-9]+(?:\.[0-9]+)*)", text)
    if not match:
        raise RuntimeError("setup.py: no 'project(offroi VERSION ...)' in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    """An extension module built by a CMake target instead of setuptools' compiler."""

    def __init__(self, name: str, target: str):
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    """Configures and builds the CMake target of each CMakeExtension."""

    def build_extension(self, ext):
        if not isinstance(ext, CMakeExtension):
            return super().build_extension(ext)
        cmake = shutil.which("cmake")
        if cmake is None:
            raise RuntimeError("setup.py: cmake not found (Debian: apt-get install cmake)")
        # One CMake build directory per interpreter, under setuptools' build_temp
        # (build/pip/temp.<platform>-<python>/cmake): a second `pip install .` recompiles only
        # what changed.
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            cmake, "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DOFFROI_BUILD_PYTHON=ON", "-DOFFROI_BUILD_TESTS=OFF", "-DOFFROI_BUILD_BENCH=OFF",
            "-DOFFROI_BUILD_CLI=OFF", "-DOFFROI_INSTALL=OFF",
            f"-DOFFROI_PYTHON={sys.executable}",
        ]
        if not os.environ.get("CMAKE_GENERATOR") and not (build_dir / "CMakeCache.txt").exists() \
                and shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(self.parallel or os.cpu_count() or 1)
        build = [cmake, "--build", str(build_dir), "--target", ext.target, "--parallel", jobs]
        for command in (configure, build):
            print("setup.py:", " ".join(shlex.quote(c) for c in command), flush=True)
            subprocess.run(command, check=True)
        built = sorted((build_dir / "python" / "offroi").glob("_core.*.so")) + \
            sorted((build_dir / "python" / "offroi").glob("_core.so"))
        if not built:
            raise RuntimeError(f"setup.py: the build left no offroi/_core*.so in {build_dir}/python")
        destination = Path(self.get_ext_fullpath(ext.name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], destination)


os.makedirs(os.path.join("build", "pip"), exist_ok=True)  # egg_base must exist
setup(
    version=cmake_project_version(),
    ext_modules=[CMakeExtension("offroi._core", target="offroi_python_core")],
    cmdclass={"build_ext": CMakeBuild},
    # setuptools' own build files go beside the CMake build directories, not over them.
    options={"build": {"build_base": "build/pip"}, "egg_info": {"egg_base": "build/pip"}},
    zip_safe=False,
)
