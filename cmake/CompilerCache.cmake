# ccache when present: a rebuild of the torch translation units goes from minutes to seconds.
# The sloppiness settings let ccache reuse results of units built with a precompiled header.
find_program(MOESCOPE_CCACHE ccache)
if(MOESCOPE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      ${MOESCOPE_CCACHE})
endif()
