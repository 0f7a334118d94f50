# Warning flags for our own targets only; LibTorch's headers are included as
# system headers so their warnings do not drown ours.
function(dropout_lab_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
                                             -Wno-unused-parameter
                                             -Wno-missing-field-initializers)
    if(DROPOUT_LAB_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
