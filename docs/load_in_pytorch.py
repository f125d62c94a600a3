# An aelab weights export as a PyTorch model, checked against aelab's own reconstructions:
#   python3 load_in_pytorch.py weights.npz [inputs.npy aelab_outputs.npy]
# (B×n arrays; without them, the example images stored in the export are used).
import json, sys, zipfile
import numpy as np, torch, torch.nn as nn

arrays = np.load(sys.argv[1])
arch = json.loads(zipfile.ZipFile(sys.argv[1]).read("architecture.json"))
act = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "linear": nn.Identity}
model, parts = nn.Module(), {}
for m in arch["modules"]:  # "encoder.2": Linear at index 2 of Sequential "encoder", act at 3
    part = parts.setdefault(m["part"], [])
    part += [nn.Linear(m["in"], m["out"]), act[m["activation"]]()]
for name, layers in parts.items():  # encoder_mu, encoder_logvar: one plain Linear each
    setattr(model, name, nn.Sequential(*layers) if name in ("encoder", "decoder") else layers[0])
model.load_state_dict({k: torch.from_numpy(arrays[k]) for k in model.state_dict()})

x = np.load(sys.argv[2]) if len(sys.argv) > 2 else arrays["example_inputs"]
expected = np.load(sys.argv[3]) if len(sys.argv) > 3 else arrays["example_outputs"]
with torch.no_grad():
    h = model.encoder(torch.from_numpy(x))
    x_hat = model.decoder(model.encoder_mu(h) if "encoder_mu" in parts else h)  # VAE: z = mu
print("max |x_hat_torch - x_hat_aelab| =", float(np.abs(x_hat.numpy() - expected).max()))
