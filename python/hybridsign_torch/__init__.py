"""hybridsign_torch: the PyTorch twin of HybridSign's model.

It trains the same network as the Swift tool (``Sources/HybridSign``) on one or many GPUs under
``torchrun`` + DistributedDataParallel and reads and writes the same ``.safetensors`` checkpoints,
so a model moves between the two with no conversion step.
"""
