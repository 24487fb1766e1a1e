/// The activated outputs of one convolution for one digit: `channels` maps of `height`×`width`,
/// channel after channel, row by row.
public struct FeatureMaps: Equatable, Sendable {
    public var channels: Int
    public var height: Int
    public var width: Int
    public var values: [Float]

    public init(channels: Int, height: Int, width: Int, values: [Float]) {
        precondition(values.count == channels * height * width, "feature maps need channels × height × width values")
        self.channels = channels
        self.height = height
        self.width = width
        self.values = values
    }

    /// One channel's map.
    public func channel(_ c: Int) -> ArraySlice<Float> {
        values[(c * height * width)..<((c + 1) * height * width)]
    }
}
