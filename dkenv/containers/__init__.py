"""The containers: specs, convergence, lifecycle, the Engine, exec."""
