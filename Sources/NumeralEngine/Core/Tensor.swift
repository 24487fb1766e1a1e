/// A dense float tensor in row-major (NCHW) order.
///
/// It is a class over a raw buffer on purpose: layers keep their output tensors between calls and
/// reuse the memory when the shape fits, so single-image inference allocates nothing after warm-up.
public final class Tensor {
    public private(set) var shape: [Int]
    public private(set) var count: Int
    public private(set) var data: UnsafeMutablePointer<Float>
    private var capacity: Int
    /// A view shares another tensor's memory (for reshapes) and must not free it.
    private let owner: Tensor?

    public init(shape: [Int]) {
        let n = shape.reduce(1, *)
        self.shape = shape
        self.count = n
        self.capacity = max(n, 1)
        self.data = .allocate(capacity: capacity)
        self.data.initialize(repeating: 0, count: capacity)
        self.owner = nil
    }

    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "Tensor values do not match shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    /// A reshaped view of `other` that shares its memory.
    public init(viewing other: Tensor, shape: [Int]) {
        precondition(shape.reduce(1, *) == other.count, "view shape \(shape) does not match \(other.shape)")
        self.shape = shape
        self.count = other.count
        self.capacity = other.count
        self.data = other.data
        self.owner = other
    }

    deinit {
        if owner == nil { data.deallocate() }
    }

    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }
    public var array: [Float] { Array(buffer) }

    public subscript(i: Int) -> Float {
        get { data[i] }
        set { data[i] = newValue }
    }

    /// Changes the shape, growing the buffer only when needed. Contents are unspecified afterwards.
    public func resize(to newShape: [Int]) {
        precondition(owner == nil, "cannot resize a view")
        let n = newShape.reduce(1, *)
        if n > capacity {
            data.deallocate()
            capacity = n
            data = .allocate(capacity: n)
            data.initialize(repeating: 0, count: n)
        }
        shape = newShape
        count = n
    }

    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    public func copy(from other: Tensor) {
        precondition(other.count == count)
        data.update(from: other.data, count: count)
    }

    public func copy(from values: [Float]) {
        precondition(values.count == count)
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    public func clone() -> Tensor {
        let t = Tensor(shape: shape)
        t.copy(from: self)
        return t
    }
}

extension Tensor {
    /// Whether this tensor is a view sharing `other`'s current memory.
    func isView(of other: Tensor) -> Bool { owner === other && data == other.data }

    func hasShape(_ d0: Int, _ d1: Int) -> Bool { shape.count == 2 && shape[0] == d0 && shape[1] == d1 }

    func hasShape(_ d0: Int, _ d1: Int, _ d2: Int, _ d3: Int) -> Bool {
        shape.count == 4 && shape[0] == d0 && shape[1] == d1 && shape[2] == d2 && shape[3] == d3
    }

    /// `reuse(_:shape:)` for a shape given as numbers: when the cached tensor already fits, no
    /// shape array is built, so a single-image forward pass allocates nothing.
    static func reuse(_ cache: inout Tensor?, _ d0: Int, _ d1: Int) -> Tensor {
        if let t = cache, t.hasShape(d0, d1) { return t }
        return reuse(&cache, shape: [d0, d1])
    }

    static func reuse(_ cache: inout Tensor?, _ d0: Int, _ d1: Int, _ d2: Int, _ d3: Int) -> Tensor {
        if let t = cache, t.hasShape(d0, d1, d2, d3) { return t }
        return reuse(&cache, shape: [d0, d1, d2, d3])
    }

    /// Returns `cache` resized to `shape`, creating it on first use; the standard way a layer
    /// keeps one output buffer across calls.
    static func reuse(_ cache: inout Tensor?, shape: [Int]) -> Tensor {
        if let t = cache {
            if t.shape != shape { t.resize(to: shape) }
            return t
        }
        let t = Tensor(shape: shape)
        cache = t
        return t
    }
}
