# Installing divert as a system tool, where Debian expects it
# (GNUInstallDirs; docs/operations.md, "Installing divert"):
#
#   bin/divert                            the binary
#   share/man/man1/divert.1.gz            divert(1), made from the binary's help
#   share/divert/reference/*.csv          the reference tables compiled into it
#   share/doc/divert/                     README.md, docs/, copyright, the
#                                         reference data's sources and
#                                         licences, examples/demo
#
# and a .deb of the same files by CPack (cpack -G DEB, or the package
# target). `cmake --install` honours CMAKE_INSTALL_PREFIX, --prefix and
# DESTDIR.
include(GNUInstallDirs)

find_package(Python3 COMPONENTS Interpreter REQUIRED)
find_program(DIVERT_GZIP gzip)

# divert(1), at build time with the configured prefix (man -l build/divert.1;
# tests/cli/check-manpage reads it) ...
set(DIVERT_MANPAGE_TOOL ${CMAKE_SOURCE_DIR}/scripts/make-manpage)
set(DIVERT_MANPAGE_TEMPLATE ${CMAKE_SOURCE_DIR}/docs/divert.1.in)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/divert.1
  COMMAND ${Python3_EXECUTABLE} ${DIVERT_MANPAGE_TOOL} $<TARGET_FILE:divert>
          ${DIVERT_MANPAGE_TEMPLATE} ${CMAKE_BINARY_DIR}/divert.1
          DATADIR=${CMAKE_INSTALL_FULL_DATADIR}/divert DOCDIR=${CMAKE_INSTALL_FULL_DOCDIR}
  DEPENDS divert ${DIVERT_MANPAGE_TOOL} ${DIVERT_MANPAGE_TEMPLATE}
  COMMENT "Writing divert(1) from divert's help")
add_custom_target(manpage ALL DEPENDS ${CMAKE_BINARY_DIR}/divert.1)

# ... and again at install time, because the prefix may be another then
# (cmake --install --prefix, or CPack's /usr): the page names the paths of
# the files it is installed with. Compressed with gzip -9n as Debian does.
install(TARGETS divert RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# one night's scan with the case store, for cron or systemd
# (docs/operations.md); the systemd pair as examples to copy
install(PROGRAMS scripts/divert-nightly DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES scripts/systemd/divert-nightly.service scripts/systemd/divert-nightly.timer
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/systemd)
install(CODE "
  set(DIVERT_PYTHON \"${Python3_EXECUTABLE}\")
  set(DIVERT_GZIP \"${DIVERT_GZIP}\")
  set(DIVERT_BINARY \"$<TARGET_FILE:divert>\")
  set(DIVERT_MANPAGE_TOOL \"${DIVERT_MANPAGE_TOOL}\")
  set(DIVERT_MANPAGE_TEMPLATE \"${DIVERT_MANPAGE_TEMPLATE}\")
  set(DIVERT_MANPAGE_WORK \"${CMAKE_BINARY_DIR}/install-manpage\")
  set(DIVERT_MANDIR \"${CMAKE_INSTALL_MANDIR}\")
  set(DIVERT_DATADIR \"${CMAKE_INSTALL_DATADIR}\")
  set(DIVERT_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  include(\"${CMAKE_SOURCE_DIR}/cmake/install-manpage.cmake\")")

# The reference tables: the same files cmake/embed.cmake compiles in.
install(FILES ${REFERENCE_SOURCES} DESTINATION ${CMAKE_INSTALL_DATADIR}/divert/reference)

install(FILES README.md packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
        FILES_MATCHING PATTERN "*.md" PATTERN "*.png")
# where the reference values come from and under which terms
install(FILES datasets/reference/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/reference)
install(FILES datasets/reference/raw/countries_indicators_SOURCES.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/reference/raw)
install(FILES datasets/reference/raw/chpl/PROVENANCE.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/reference/raw/chpl)
# the demo dataset, to try the installed binary on
install(DIRECTORY datasets/demo/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/demo)

# ---- the .deb ----
set(DIVERT_PACKAGE_MAINTAINER "divert maintainers <maintainers@divert.invalid>"
    CACHE STRING "the Maintainer field of the .deb: NAME <EMAIL>")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME divert)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${DIVERT_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${DIVERT_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "find transshipment routes of controlled goods in shipment data")
file(READ ${CMAKE_SOURCE_DIR}/packaging/description DIVERT_LONG_DESCRIPTION)
string(STRIP "${DIVERT_LONG_DESCRIPTION}" DIVERT_LONG_DESCRIPTION)
# CPack puts the summary first, then this
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${DIVERT_LONG_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # divert_VERSION_ARCH.deb
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Depends: from the libraries the binary links, by dpkg-shlibdeps (dpkg-dev)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
