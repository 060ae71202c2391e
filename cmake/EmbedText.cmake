# Turns any file (text or binary) into a C++ source defining
# `std::string_view moescope::embedded::NAME()` that returns its bytes.
#   cmake -DINPUT=file -DOUTPUT=file.cpp -DNAME=function -P EmbedText.cmake
foreach(required INPUT OUTPUT NAME)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "EmbedText.cmake needs -D${required}=...")
  endif()
endforeach()
if(NOT NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
  message(FATAL_ERROR "EmbedText.cmake: NAME '${NAME}' is not a C++ identifier")
endif()
# HEX reads bytes, not characters: NULs and invalid UTF-8 survive.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
get_filename_component(input_name ${INPUT} NAME)
# A trailing 0 keeps the array non-empty for an empty file; it is not part of the view.
file(WRITE ${OUTPUT}
  "// Generated from ${input_name} by cmake/EmbedText.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace moescope::embedded {\n"
  "std::string_view ${NAME}();\n"
  "static const unsigned char k_${NAME}[] = {${bytes} 0};\n"
  "std::string_view ${NAME}() {\n"
  "  return {reinterpret_cast<const char*>(k_${NAME}), sizeof(k_${NAME}) - 1};\n"
  "}\n"
  "}  // namespace moescope::embedded\n")
