#version 330 core
// Maps one float channel to colour: v in [lo, hi] → t in [0, 1] → colormap(t).
// Colormaps: 0 grey, 1 viridis (activations), 2 diverging blue–white–red (signed weights),
// 3 inferno (errors). Table colours are matplotlib's at eleven evenly spaced stops.
in vec2 uv;
out vec4 color;
uniform sampler2D values;
uniform float lo;
uniform float hi;
uniform int colormap;

const vec3 viridis[11] = vec3[11](
    vec3(0.267, 0.005, 0.329), vec3(0.282, 0.141, 0.458), vec3(0.255, 0.267, 0.529),
    vec3(0.208, 0.373, 0.553), vec3(0.165, 0.471, 0.557), vec3(0.129, 0.567, 0.551),
    vec3(0.135, 0.659, 0.518), vec3(0.267, 0.749, 0.441), vec3(0.478, 0.821, 0.318),
    vec3(0.741, 0.873, 0.150), vec3(0.993, 0.906, 0.144));
const vec3 inferno[11] = vec3[11](
    vec3(0.001, 0.000, 0.014), vec3(0.087, 0.045, 0.224), vec3(0.258, 0.039, 0.406),
    vec3(0.416, 0.090, 0.433), vec3(0.578, 0.148, 0.404), vec3(0.736, 0.216, 0.330),
    vec3(0.865, 0.317, 0.226), vec3(0.954, 0.469, 0.098), vec3(0.988, 0.645, 0.040),
    vec3(0.964, 0.843, 0.273), vec3(0.988, 0.998, 0.645));
const vec3 diverging[5] = vec3[5](
    vec3(0.129, 0.400, 0.675), vec3(0.404, 0.663, 0.812), vec3(0.969, 0.969, 0.969),
    vec3(0.937, 0.541, 0.384), vec3(0.698, 0.094, 0.169));

vec3 lookup11(const vec3 table[11], float t) {
    float x = t * 10.0;
    int i = int(min(floor(x), 9.0));
    return mix(table[i], table[i + 1], x - float(i));
}

void main() {
    float v = texture(values, uv).r;
    if (isnan(v)) { color = vec4(0.8, 0.0, 0.8, 1.0); return; }
    float t = clamp((v - lo) / max(hi - lo, 1e-20), 0.0, 1.0);
    vec3 rgb;
    if (colormap == 1) {
        rgb = lookup11(viridis, t);
    } else if (colormap == 2) {
        float x = t * 4.0;
        int i = int(min(floor(x), 3.0));
        rgb = mix(diverging[i], diverging[i + 1], x - float(i));
    } else if (colormap == 3) {
        rgb = lookup11(inferno, t);
    } else {
        rgb = vec3(t);
    }
    color = vec4(rgb, 1.0);
}
