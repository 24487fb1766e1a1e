import CDNNL

/// oneDNN's direct convolution for one `Conv2D`, one worker and one slice of a batch: the forward
/// primitive, the backward ones (created on the first backward pass), the blocked copies of their
/// arguments and the reorders to and from the engine's NCHW tensors.
///
/// A slice's blocked input from the forward pass is reused by the weight gradient, and the
/// forward's blocked weights by the input gradient, when the primitives want the same layout
/// (`Conv2D` only runs backward right after a training forward of the same batch).
final class ConvolutionPrimitives {
    struct Shape: Hashable {
        var images: Int, inChannels: Int, height: Int, width: Int
        var outChannels: Int, kernel: Int, stride: Int, padding: Int
        var outHeight: Int, outWidth: Int
    }

    let shape: Shape
    private let stream: OneDNNStream
    private let forwardCall: OneDNNCall
    private var forwardPrimitive: OneDNNPrimitive { forwardCall.primitive }
    private let src: OneDNNOperand, weights: OneDNNOperand, bias: OneDNNOperand, dst: OneDNNOperand
    private var backwardPrimitives: Backward?
    /// Set for layers whose weights never change (inference networks): the blocked copy of the
    /// weights and bias is made on the first call only.
    private let constantWeights: Bool
    /// Whether the forward primitive is a direct training one (else backward needs its own hint).
    private let trainingForward: Bool
    private var loadedWeights: UnsafePointer<Float>?

    /// The backward pass: weight and bias gradients, and the input gradient unless the layer is first.
    private struct Backward {
        let weightsCall: OneDNNCall
        let src: OneDNNOperand
        let diffDst: OneDNNOperand
        let diffWeights: OneDNNOperand
        let diffBias: OneDNNOperand
        let data: BackwardData?
    }

    private struct BackwardData {
        let call: OneDNNCall
        let diffDst: OneDNNOperand
        let weights: OneDNNOperand
        let diffSrc: OneDNNOperand
    }

    /// The layouts and geometry every primitive of one shape is described with.
    private struct Descriptors {
        let plainSrc, plainWeights, plainBias, plainDst: MemoryDescriptor
        let anySrc, anyWeights, anyDst: MemoryDescriptor
        let strides, padLeft, padRight: [Int64]

        init(_ s: Shape) throws {
            plainSrc = try MemoryDescriptor([s.images, s.inChannels, s.height, s.width], dnnl_nchw)
            plainWeights = try MemoryDescriptor([s.outChannels, s.inChannels, s.kernel, s.kernel], dnnl_oihw)
            plainBias = try MemoryDescriptor([s.outChannels], dnnl_x)
            plainDst = try MemoryDescriptor([s.images, s.outChannels, s.outHeight, s.outWidth], dnnl_nchw)
            anySrc = try MemoryDescriptor([s.images, s.inChannels, s.height, s.width], dnnl_format_tag_any)
            anyWeights = try MemoryDescriptor([s.outChannels, s.inChannels, s.kernel, s.kernel], dnnl_format_tag_any)
            anyDst = try MemoryDescriptor([s.images, s.outChannels, s.outHeight, s.outWidth], dnnl_format_tag_any)
            strides = [Int64(s.stride), Int64(s.stride)]
            padLeft = [Int64(s.padding), Int64(s.padding)]
            // Padding on the right/bottom so that (in + left + right - k) / stride + 1 == out exactly.
            padRight = [
                Int64((s.outHeight - 1) * s.stride + s.kernel - s.height - s.padding),
                Int64((s.outWidth - 1) * s.stride + s.kernel - s.width - s.padding),
            ]
        }

        /// A forward convolution's primitive descriptor.
        func forward(_ prop: dnnl_prop_kind_t, _ algorithm: dnnl_alg_kind_t, relu: Bool) throws -> OpaquePointer {
            var desc = dnnl_convolution_desc_t()
            var (src, weights, bias, dst) = (anySrc.raw, anyWeights.raw, plainBias.raw, anyDst.raw)
            try OneDNNError.check(dnnl_convolution_forward_desc_init(
                &desc, prop, algorithm, &src, &weights, &bias, &dst, strides, padLeft, padRight), "convolution descriptor")
            return try ConvolutionPrimitives.primitiveDescriptor(&desc, relu: relu, hint: nil, what: "convolution")
        }

        /// The weight- and bias-gradient descriptor.
        func weightGradient() throws -> dnnl_convolution_desc_t {
            var desc = dnnl_convolution_desc_t()
            var (src, weights, bias, dst) = (anySrc.raw, anyWeights.raw, plainBias.raw, anyDst.raw)
            try OneDNNError.check(dnnl_convolution_backward_weights_desc_init(
                &desc, dnnl_convolution_direct, &src, &weights, &bias, &dst, strides, padLeft, padRight),
                "convolution weight-gradient descriptor")
            return desc
        }

        /// The input-gradient descriptor.
        func inputGradient() throws -> dnnl_convolution_desc_t {
            var desc = dnnl_convolution_desc_t()
            var (src, weights, dst) = (anySrc.raw, anyWeights.raw, anyDst.raw)
            try OneDNNError.check(dnnl_convolution_backward_data_desc_init(
                &desc, dnnl_convolution_direct, &src, &weights, &dst, strides, padLeft, padRight),
                "convolution input-gradient descriptor")
            return desc
        }
    }

    /// Builds the forward primitive; `relu` fuses a ReLU into it (inference networks).
    ///
    /// With `constantWeights` (an inference network) 3×3 convolutions over 16 or more channels use
    /// Winograd's F(2×2, 3×3) algorithm, which needs 2.25× fewer multiplications (oneDNN's
    /// inference kernel for small batches: one image in 60 % of the direct kernel's time here); the
    /// first layer, with one input channel, stays direct, where Winograd's transforms cost more than
    /// they save. Training always uses the direct algorithm.
    init(_ shape: Shape, relu: Bool, constantWeights: Bool = false) throws {
        guard OneDNN.engine != nil else { throw OneDNNError(call: "engine", status: dnnl_runtime_error) }
        // oneDNN fixes a primitive's thread count when it is created, from the creating thread's
        // OpenMP setting: it must already say one thread here, not only when the primitive runs.
        OneDNN.useOneThread()
        self.shape = shape
        self.constantWeights = constantWeights
        stream = try OneDNNStream()
        let d = try Descriptors(shape)
        let winograd = constantWeights && shape.kernel == 3 && shape.stride == 1
            && shape.inChannels % 16 == 0 && shape.outChannels % 16 == 0
        var pd: OpaquePointer
        if winograd, let w = try? d.forward(dnnl_forward_inference, dnnl_convolution_winograd, relu: relu) {
            pd = w
        } else {
            pd = try d.forward(constantWeights ? dnnl_forward_inference : dnnl_forward_training,
                               dnnl_convolution_direct, relu: relu)
        }
        let p = try OneDNNPrimitive(descriptor: pd, what: "convolution")
        trainingForward = !constantWeights
        src = try OneDNNOperand(plain: d.plainSrc, wanted: p.memoryDescriptor(dnnl_query_src_md)!, reads: true, writes: false)
        weights = try OneDNNOperand(plain: d.plainWeights, wanted: p.memoryDescriptor(dnnl_query_weights_md)!, reads: true, writes: false)
        bias = try OneDNNOperand(plain: d.plainBias, wanted: p.memoryDescriptor(dnnl_query_weights_md, index: 1)!, reads: true, writes: false)
        dst = try OneDNNOperand(plain: d.plainDst, wanted: p.memoryDescriptor(dnnl_query_dst_md)!, reads: false, writes: true)
        forwardCall = OneDNNCall(p, [
            (DNNL_ARG_SRC, src.native), (DNNL_ARG_WEIGHTS, weights.native), (DNNL_ARG_BIAS, bias.native),
            (DNNL_ARG_DST, dst.native), (DNNL_ARG_SCRATCHPAD, try Self.scratchpad(for: p)),
        ])
    }

    /// The forward kernel oneDNN chose (for tests and reports).
    var forwardImplementation: String { forwardPrimitive.implementation }

    /// y = conv(x) + bias (rectified when built with `relu`) for this slice; all pointers are NCHW / OIHW.
    func forward(input: UnsafePointer<Float>, weights w: UnsafePointer<Float>, bias b: UnsafePointer<Float>,
                 output: UnsafeMutablePointer<Float>) {
        OneDNN.useOneThread()
        src.load(input, on: stream)
        if !constantWeights || loadedWeights != w {
            weights.load(w, on: stream)
            bias.load(b, on: stream)
            loadedWeights = w
        }
        dst.target(output)
        forwardCall.run(on: stream)
        dst.store(on: stream)
    }

    /// Gradients for this slice, right after its training forward: weight and bias gradients are
    /// written (not added) to `weightGradient` / `biasGradient`; the input gradient to
    /// `inputGradient` when given. `weights` must be the same values the forward pass used.
    /// Call `prepareBackward` first (it may fail; this may not).
    func backward(outputGradient: UnsafePointer<Float>, input: UnsafePointer<Float>, weights w: UnsafePointer<Float>,
                  weightGradient: UnsafeMutablePointer<Float>?, biasGradient: UnsafeMutablePointer<Float>?,
                  inputGradient: UnsafeMutablePointer<Float>?) {
        OneDNN.useOneThread()
        guard let b = backwardPrimitives else { preconditionFailure("ConvolutionPrimitives.backward before prepareBackward") }
        if let weightGradient, let biasGradient {
            if b.src !== src { b.src.load(input, on: stream) }
            b.diffDst.load(outputGradient, on: stream)
            b.diffWeights.target(weightGradient)
            b.diffBias.target(biasGradient)
            b.weightsCall.run(on: stream)
            b.diffWeights.store(on: stream)
            b.diffBias.store(on: stream)
        }
        if let inputGradient {
            guard let d = b.data else { preconditionFailure("input gradient of primitives prepared without one") }
            let sharedDiffDst = d.diffDst === b.diffDst && weightGradient != nil
            if !sharedDiffDst { d.diffDst.load(outputGradient, on: stream) }
            if d.weights !== weights { d.weights.load(w, on: stream) }
            d.diffSrc.target(inputGradient)
            d.call.run(on: stream)
            d.diffSrc.store(on: stream)
        }
    }

    /// Creates the backward primitives on first use (again if an input gradient is now wanted).
    func prepareBackward(needsInputGradient: Bool) throws {
        if let b = backwardPrimitives, b.data != nil || !needsInputGradient { return }
        backwardPrimitives = try makeBackward(needsInputGradient: needsInputGradient)
    }

    private func makeBackward(needsInputGradient: Bool) throws -> Backward {
        OneDNN.useOneThread()
        let descriptors = try Descriptors(shape)
        let plainSrc = descriptors.plainSrc, plainWeights = descriptors.plainWeights
        let plainBias = descriptors.plainBias, plainDst = descriptors.plainDst
        // Backward primitives are described relative to a direct training forward: this layer's own,
        // or (for an inference network being explained) one made just for the purpose.
        let hint: OneDNNPrimitive
        if trainingForward {
            hint = forwardPrimitive
        } else {
            hint = try OneDNNPrimitive(descriptor: descriptors.forward(dnnl_forward_training, dnnl_convolution_direct, relu: false),
                                       what: "convolution")
        }

        var wdesc = try descriptors.weightGradient()
        let wpd = try Self.primitiveDescriptor(&wdesc, relu: false, hint: hint.descriptor,
                                               what: "convolution weight gradient")
        let wp = try OneDNNPrimitive(descriptor: wpd, what: "convolution weight gradient")
        let srcMD = wp.memoryDescriptor(dnnl_query_src_md)!
        let bsrc = src.isNative(srcMD) ? src : try OneDNNOperand(plain: plainSrc, wanted: srcMD, reads: true, writes: false)
        let diffDst = try OneDNNOperand(plain: plainDst, wanted: wp.memoryDescriptor(dnnl_query_diff_dst_md)!, reads: true, writes: false)
        let diffWeights = try OneDNNOperand(plain: plainWeights, wanted: wp.memoryDescriptor(dnnl_query_diff_weights_md)!,
                                            reads: false, writes: true)
        let diffBias = try OneDNNOperand(plain: plainBias, wanted: wp.memoryDescriptor(dnnl_query_diff_weights_md, index: 1)!,
                                         reads: false, writes: true)

        var data: BackwardData?
        if needsInputGradient {
            var ddesc = try descriptors.inputGradient()
            let dpd = try Self.primitiveDescriptor(&ddesc, relu: false, hint: hint.descriptor,
                                                   what: "convolution input gradient")
            let dp = try OneDNNPrimitive(descriptor: dpd, what: "convolution input gradient")
            let ddMD = dp.memoryDescriptor(dnnl_query_diff_dst_md)!
            let wMD = dp.memoryDescriptor(dnnl_query_weights_md)!
            let dd = diffDst.isNative(ddMD) ? diffDst : try OneDNNOperand(plain: plainDst, wanted: ddMD, reads: true, writes: false)
            let dw = weights.isNative(wMD) ? weights : try OneDNNOperand(plain: plainWeights, wanted: wMD, reads: true, writes: false)
            let ds = try OneDNNOperand(plain: plainSrc, wanted: dp.memoryDescriptor(dnnl_query_diff_src_md)!, reads: false, writes: true)
            let call = OneDNNCall(dp, [
                (DNNL_ARG_DIFF_DST, dd.native), (DNNL_ARG_WEIGHTS, dw.native), (DNNL_ARG_DIFF_SRC, ds.native),
                (DNNL_ARG_SCRATCHPAD, try Self.scratchpad(for: dp)),
            ])
            data = BackwardData(call: call, diffDst: dd, weights: dw, diffSrc: ds)
        }
        let weightsCall = OneDNNCall(wp, [
            (DNNL_ARG_SRC, bsrc.native), (DNNL_ARG_DIFF_DST, diffDst.native),
            (DNNL_ARG_DIFF_WEIGHTS, diffWeights.native), (DNNL_ARG_DIFF_BIAS, diffBias.native),
            (DNNL_ARG_SCRATCHPAD, try Self.scratchpad(for: wp)),
        ])
        return Backward(weightsCall: weightsCall, src: bsrc, diffDst: diffDst, diffWeights: diffWeights,
                        diffBias: diffBias, data: data)
    }

    /// A primitive descriptor whose scratch memory the caller provides (so workers never share
    /// oneDNN's), with ReLU applied to the output when `relu`.
    fileprivate static func primitiveDescriptor(_ desc: inout dnnl_convolution_desc_t, relu: Bool, hint: OpaquePointer?,
                                            what: String) throws -> OpaquePointer {
        var attr: OpaquePointer?
        try OneDNNError.check(dnnl_primitive_attr_create(&attr), "attributes")
        defer { dnnl_primitive_attr_destroy(attr) }
        try OneDNNError.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode")
        if relu {
            var ops: OpaquePointer?
            try OneDNNError.check(dnnl_post_ops_create(&ops), "post-ops")
            defer { dnnl_post_ops_destroy(ops) }
            try OneDNNError.check(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0), "ReLU post-op")
            try OneDNNError.check(dnnl_primitive_attr_set_post_ops(attr, ops), "post-ops")
        }
        var pd: OpaquePointer?
        try OneDNNError.check(dnnl_primitive_desc_create(&pd, &desc, attr, OneDNN.engine, hint), what)
        return pd!
    }

    private static func scratchpad(for primitive: OneDNNPrimitive) throws -> OneDNNMemory? {
        guard let md = primitive.memoryDescriptor(dnnl_query_scratchpad_md), md.byteCount > 0 else { return nil }
        return try OneDNNMemory(allocating: md)
    }
}
