// Images for the panels: float pixels in, a colour texture out. The panels see only this
// interface (app/gl implements it with a colormap shader; tests use a fake). GUI thread only.
#pragma once

#include <cstdint>
#include <functional>

#include <imgui.h>

enum class Colormap { Grey, Viridis, Diverging, Inferno };

struct ImageRequest {
    const float* pixels = nullptr;  // row-major, width×height, row 0 at the top
    int width = 0, height = 0;
    Colormap colormap = Colormap::Grey;
    float lo = 0, hi = 1;  // the values mapped to the two ends of the colormap
};

class ImageStore {
public:
    virtual ~ImageStore() = default;
    // The texture shown under `key`; `make` runs (and the texture is re-uploaded) only when
    // `version` differs from the version of the last upload under that key.
    virtual ImTextureID image(const char* key, uint64_t version,
                              const std::function<ImageRequest()>& make) = 0;
};
