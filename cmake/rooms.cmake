# Rooms: each folder of core/ and app/ is one static library, built from every .cpp in it.
# A room sees its own headers and those of the rooms it USES (and what they use), and no
# others: its include path is a folder of links made for it in the build tree, holding only
# its own folder. So `#include "core/trainer/trainer.h"` from core/model/ is a compile error
# ("No such file"), not a review comment — the direction of the house is the build's.
#
# aelab_room(NAME FOLDER USES room... LIBS target...)
#   NAME   the room's short name; the target is aelab_<NAME>
#   FOLDER its folder under the source root ("core/model")
#   USES   rooms below it (short names), LIBS other targets (Eigen3::Eigen, …)
function(aelab_room name)
  cmake_parse_arguments(ARG "" "FOLDER" "USES;LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${ARG_FOLDER}/*.cpp)
  set(target aelab_${name})
  add_library(${target} STATIC ${sources})
  set(view ${PROJECT_BINARY_DIR}/rooms/${name})
  get_filename_component(parent ${view}/${ARG_FOLDER} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${ARG_FOLDER} ${view}/${ARG_FOLDER} SYMBOLIC)
  target_include_directories(${target} PUBLIC ${view})
  list(TRANSFORM ARG_USES PREPEND aelab_)
  target_link_libraries(${target} PUBLIC ${ARG_USES} ${ARG_LIBS})
endfunction()
