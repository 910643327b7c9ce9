"""One generation's KV cache for graphs that append to it in place (our imported graphs).

GroupQueryAttention writes the new keys and values into the buffer it reads the
past from when past and present are the same tensor. So a generation allocates
one fixed-size buffer per layer and key/value, binds each as both past and
present once, and the cache is never copied, reallocated or handed to Python.

A decode step then costs Python almost nothing: the token and position are
written into arrays bound once, the mask is a growing view of one array of ones,
and the logits land in a buffer numpy owns, so no tensor is created and none of
the 61 outputs is wrapped in a Python object (`IOBinding.get_outputs()` alone
cost about 0.2 ms a step, 1-4 % of a SmolLM2-135M step on 2 cores).
"""

from __future__ import annotations

import numpy as np

from rustcoder.models.backend import ModelError
from rustcoder.models.onnx_runtime import DecoderSession


class SharedKVCache:
    """Past = present buffers of `capacity` positions, bound once to one IOBinding."""

    def __init__(self, model: DecoderSession, capacity: int, device: str = "cpu"):
        import onnxruntime as ort

        lay = model.layout
        self.layout = lay
        self.session = model.session
        self.capacity = capacity
        shape = [1, lay.kv_heads, capacity, lay.head_dim]
        #: Kept alive here: the binding refers to them by pointer.
        self.buffers = [
            ort.OrtValue.ortvalue_from_shape_and_type(shape, lay.kv_dtype, device, 0)
            for _ in range(2 * lay.num_layers)
        ]
        self.binding = self.session.io_binding()
        # Logits are written to a host buffer allocated once where the graph fixes their
        # width and runs on the CPU; otherwise onnxruntime allocates (and copies from the
        # device) each run. Bound first: get_outputs() lists outputs in binding order.
        self.host_logits = device == "cpu" and lay.vocab_size is not None
        self._step_logits = np.empty((1, 1, lay.vocab_size or 0), dtype=np.float32)
        self._step_logits_value = ort.OrtValue.ortvalue_from_numpy(self._step_logits)
        self.binding.bind_output("logits", "cpu")
        past = [name for pair in lay.past_names for name in pair]
        present = [name for pair in lay.present_names for name in pair]
        for past_name, present_name, value in zip(past, present, self.buffers, strict=True):
            self.binding.bind_ortvalue_input(past_name, value)
            self.binding.bind_ortvalue_output(present_name, value)
        # The decode step's inputs, bound by reference (bind_cpu_input does not copy).
        self._token = np.zeros((1, 1), dtype=np.int64)
        self._position = np.zeros((1, 1), dtype=np.int64)
        self._ones = np.ones((1, capacity), dtype=np.int64)
        self._step_bound = False

    def run(self, feed: dict[str, np.ndarray], new_tokens: int) -> np.ndarray:
        """Run `new_tokens` positions (a prompt chunk): the last position's logits."""
        binding = self.binding
        self._step_bound = False
        for name, value in feed.items():
            binding.bind_cpu_input(name, value)
        if self.host_logits and (new_tokens == 1 or self.layout.logits_positions == 1):
            binding.bind_ortvalue_output("logits", self._step_logits_value)
            self.session.run_with_iobinding(binding)
            return self._step_logits[0, -1]
        # Every position's logits: onnxruntime allocates them from its arena.
        binding.bind_output("logits", "cpu")
        self.session.run_with_iobinding(binding)
        return np.asarray(binding.get_outputs()[0].numpy()[0, -1], dtype=np.float32)

    def step(self, token: int, past_len: int, position: int) -> np.ndarray:
        """One token after `past_len` cached positions: its logits, in a buffer the next
        step overwrites."""
        if past_len + 1 > self.capacity:
            raise ModelError(f"the KV cache holds {self.capacity} positions, not {past_len + 1}")
        if not self.host_logits:
            return self.run(self.layout.feed([token], past_len, position), 1)
        binding, lay = self.binding, self.layout
        if not self._step_bound:
            binding.bind_cpu_input("input_ids", self._token)
            if lay.has_position_ids:
                binding.bind_cpu_input("position_ids", self._position)
            if lay.use_cache_branch:
                binding.bind_cpu_input("use_cache_branch", np.array([True]))
            if lay.num_logits_to_keep:
                binding.bind_cpu_input("num_logits_to_keep", np.array(1, dtype=np.int64))
            binding.bind_ortvalue_output("logits", self._step_logits_value)
            self._step_bound = True
        self._token[0, 0] = token
        self._position[0, 0] = position
        if lay.has_attention_mask:
            binding.bind_cpu_input("attention_mask", self._ones[:, : past_len + 1])
        self.session.run_with_iobinding(binding)
        return self._step_logits[0, -1]
