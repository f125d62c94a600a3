// aelab's orthographic 3-D view (points, line strips, planar patches) drawn on ImDrawList,
// turned by dragging. GUI thread only (it uses the current ImGui context).
//
// Use:   if (plot::begin_plot3d("##latent", size, m_view)) {     // m_view: the panel's View3d
//            plot::plot3d_plane("PCA plane", centre, u, v);
//            plot::plot3d_points("codes", codes.data(), codes.cols());  // Eigen 3×N float
//            plot::end_plot3d();
//        }
// As in plot.h, items are recorded and drawn in end_plot3d(), after fitting, so the data an
// item points at must stay valid until then. World axes are x, y, z with z up; one scale is
// shared by all three (a cube stays a cube).
#pragma once

#include <array>

#include <imgui.h>

#include "app/plot/plot.h"

namespace plot {

// Persistent per view, owned by the caller (a panel's state).
struct View3d {
    float yaw = 0.6f;     // radians about the vertical (z) axis; more turns the near side right
    float pitch = 0.35f;  // radians of elevation, in [-1.5, 1.5]; more looks further down
};

// ---- Pure helpers, no ImGui needed (also used by the tests) ----

// World point (x, y, z; z up) → camera {right, up, depth}: right/up are screen axes (up
// positive), depth grows away from the viewer. At yaw = pitch = 0, x is right, z is up and
// y points away, so a right-handed world is not mirrored.
std::array<double, 3> rotate_to_camera(const View3d& view, double x, double y, double z);
// Turns the view by a mouse drag of (dx, dy) pixels, as if grabbing the scene: a drag right
// turns it right (yaw grows), a drag down tips its top towards the viewer (pitch grows).
void drag_view(View3d& view, float dx_pixels, float dy_pixels);

// Left-drag inside the frame turns `view`; a double-click resets it. axis_names (x, y, z by
// default) label the axis triad and are copied. size ≤ 0 on an axis fills the available space.
bool begin_plot3d(const char* id, ImVec2 size, View3d& view,
                  const char* const axis_names[3] = nullptr);
void end_plot3d();

// Items. color 0 means the next palette colour; items with the same label share a colour and
// one legend entry. xyz: 3×count floats, column-major (x0, y0, z0, x1, …), as an Eigen 3×N
// float matrix's data(). Non-finite points are skipped (and break a line).
void plot3d_points(const char* label, const float* xyz, int count, ImU32 color = 0,
                   float radius = 2.0f);
// A line strip through count points; closed joins the last to the first.
void plot3d_line(const char* label, const float* xyz, int count, ImU32 color = 0,
                 float thickness = 1.5f, bool closed = false);
// The planar patch with corners centre ± u ± v (u, v are half-edges; all three are copied),
// drawn as a translucent quad under a lines × lines wire grid. Planes are drawn first, then
// lines, then points.
void plot3d_plane(const char* label, const float centre[3], const float u[3], const float v[3],
                  ImU32 color = 0, int lines = 5);

// Queries about the last 3-D view drawn (the current one's previous frame until its
// end_plot3d): its frame, and where a world point landed (e.g. to pick the point under the
// mouse).
PixelRect plot3d_rect();
ImVec2 plot3d_to_pixels(double x, double y, double z);

}  // namespace plot
