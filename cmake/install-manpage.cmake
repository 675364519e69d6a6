# Installs divert(1), written by scripts/make-manpage for the prefix of this
# install (CMAKE_INSTALL_PREFIX as the install sees it: the configured one,
# cmake --install --prefix, or CPack's), gzip -9n compressed when gzip is
# there (plain otherwise). Included by the install(CODE) of
# cmake/install.cmake, which sets the DIVERT_* variables.
function(divert_full var rel)
  if(IS_ABSOLUTE "${rel}")
    set(${var} "${rel}" PARENT_SCOPE)
  else()
    set(${var} "${CMAKE_INSTALL_PREFIX}/${rel}" PARENT_SCOPE)
  endif()
endfunction()
divert_full(datadir "${DIVERT_DATADIR}")
divert_full(docdir "${DIVERT_DOCDIR}")
divert_full(mandir "${DIVERT_MANDIR}")

# a directory of this install's own: two installs at once (cpack and
# cmake --install) do not share one
string(RANDOM LENGTH 16 tag)
set(work "${DIVERT_MANPAGE_WORK}/${tag}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")
set(page "${work}/divert.1")
execute_process(
  COMMAND "${DIVERT_PYTHON}" "${DIVERT_MANPAGE_TOOL}" "${DIVERT_BINARY}"
          "${DIVERT_MANPAGE_TEMPLATE}" "${page}"
          "DATADIR=${datadir}/divert" "DOCDIR=${docdir}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "scripts/make-manpage failed (${rc}): divert(1) is not installed")
endif()
if(DIVERT_GZIP)
  execute_process(COMMAND "${DIVERT_GZIP}" -9n "${page}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip -9n ${page} failed (${rc})")
  endif()
  set(page "${page}.gz")
endif()
file(INSTALL DESTINATION "${mandir}/man1" TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE
     GROUP_READ WORLD_READ FILES "${page}")
file(REMOVE_RECURSE "${work}")
