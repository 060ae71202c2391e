# What `cmake --install` puts where (FHS paths under CMAKE_INSTALL_PREFIX), and the Debian
# package CPack builds from it (`cpack -G DEB` in the build folder; README "Packaging").
#   bin/moescope, bin/moescope-cli
#   libexec/moescope/moescope-results-probe   (started by both to check a results file before
#                                              opening it; core/results/results_probe.h)
#   share/applications/moescope.desktop, share/icons/hicolor/scalable/apps/moescope.svg,
#   share/metainfo/io.github.moescope.MoEScope.metainfo.xml
#   share/moescope/translations/*.qm   (the explorer loads the same catalogues from its resources)
#   share/doc/moescope/                (README, the results file format)
set(MOESCOPE_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/resources/packaging)
set(MOESCOPE_RELEASE_DATE "2026-11-24" CACHE STRING "Release date of this version, for the AppStream metainfo")

install(TARGETS moescope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS moescope-results-probe RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/moescope)
if(MOESCOPE_BUILD_GUI)
  install(TARGETS moescope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${MOESCOPE_PACKAGING_DIR}/moescope.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${MOESCOPE_PACKAGING_DIR}/moescope.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  configure_file(${MOESCOPE_PACKAGING_DIR}/io.github.moescope.MoEScope.metainfo.xml.in
                 ${CMAKE_BINARY_DIR}/io.github.moescope.MoEScope.metainfo.xml @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/io.github.moescope.MoEScope.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  # lrelease writes one .qm per .ts next to the explorer's build folder (qt_add_translations).
  file(GLOB MOESCOPE_TS_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/translations/*.ts)
  foreach(ts ${MOESCOPE_TS_FILES})
    get_filename_component(catalogue ${ts} NAME_WE)
    install(FILES ${CMAKE_BINARY_DIR}/app/gui/${catalogue}.qm DESTINATION ${CMAKE_INSTALL_DATADIR}/moescope/translations)
  endforeach()
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/results-format.md
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/moescope)

# The .deb: dependencies are the Debian runtime packages of the libraries the binaries link,
# found by dpkg-shlibdeps (libtorch, HDF5, Qt 6, QCustomPlot, PCRE2, ...).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME moescope)
set(CPACK_PACKAGE_VENDOR "MoEScope developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Explorer for the insides of Mixture-of-Experts language models")
set(CPACK_PACKAGE_DESCRIPTION
    "MoEScope opens a Hugging Face Mixture-of-Experts model folder, runs the model layer by layer \
on the CPU or a GPU, and shows which experts every token chooses, expert similarity, output \
norms and routing statistics, in a Qt desktop explorer (moescope) and on the command line \
(moescope-cli).")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(MOESCOPE_PACKAGE_MAINTAINER "MoEScope developers <moescope@localhost>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${MOESCOPE_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# OpenBLAS makes libtorch's CPU matrix products several times faster than the reference BLAS;
# fonts give Qt something to draw with on a minimal system.
# A CJK font: without one the Chinese interface draws empty boxes.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread, fonts-dejavu-core, fonts-wqy-microhei")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)
include(CPack)
