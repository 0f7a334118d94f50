# Finds the libraries dropout-lab builds on. Debian 12 ships all of them
# (libtorch-dev, libfmt-dev, libcxxopts-dev, nlohmann-json3-dev, catch2); a
# different LibTorch, for example the CUDA build inside a PyTorch wheel, is
# picked up by passing -DTorch_DIR=<prefix>/share/cmake/Torch.

find_package(Torch REQUIRED)
find_package(fmt REQUIRED)
find_package(cxxopts REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)

# TorchConfig exports its required flags (the libstdc++ ABI switch) as a plain
# string rather than on a target; wrap them in one so every target that links
# LibTorch compiles with the same ABI.
add_library(dropout_lab_torch INTERFACE)
separate_arguments(_dropout_lab_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
target_compile_options(dropout_lab_torch INTERFACE ${_dropout_lab_torch_flags})
target_link_libraries(dropout_lab_torch INTERFACE ${TORCH_LIBRARIES})
target_include_directories(dropout_lab_torch SYSTEM
                           INTERFACE ${TORCH_INCLUDE_DIRS})

# fmt's compiled library uses the libstdc++ ABI Debian builds with. A
# LibTorch built for the old ABI (older PyTorch wheels) forces that ABI on
# our code, whose std::string would then not match the library's; fmt's
# header-only target compiles fmt with our flags instead.
if(TORCH_CXX_FLAGS MATCHES "_GLIBCXX_USE_CXX11_ABI=0")
  message(STATUS "dropout-lab: LibTorch uses the old C++ ABI; fmt header-only")
  set(DROPOUT_LAB_FMT fmt::fmt-header-only)
else()
  set(DROPOUT_LAB_FMT fmt::fmt)
endif()

if(DROPOUT_LAB_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
endif()

find_program(DROPOUT_LAB_GIT git)
find_program(DROPOUT_LAB_CLANG_FORMAT NAMES clang-format-14 clang-format)
