import Foundation

/// Updates parameters from their gradients. The learning rate is passed per step so that any
/// schedule can drive any optimizer.
public protocol Optimizer: AnyObject {
    func step(learningRate: Float)
}

/// Adam, or AdamW when `decoupledWeightDecay` is set (decay applied to the weights directly
/// rather than through the gradient, which regularizes better with adaptive steps).
public final class Adam: Optimizer {
    public let parameters: [Parameter]
    public var beta1: Float, beta2: Float, epsilon: Float
    public var weightDecay: Float
    public var decoupledWeightDecay: Bool
    private var m: [[Float]]
    private var v: [[Float]]
    private var t = 0

    public init(parameters: [Parameter], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupledWeightDecay: Bool = true) {
        self.parameters = parameters
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        v = m
    }

    public func step(learningRate lr: Float) {
        t += 1
        let c1 = 1 - powf(beta1, Float(t)), c2 = 1 - powf(beta2, Float(t))
        // The settings in locals, so the loop reads no class property per element and vectorizes.
        let (beta1, beta2, epsilon, decoupledWeightDecay) = (self.beta1, self.beta2, self.epsilon, self.decoupledWeightDecay)
        for (pi, p) in parameters.enumerated() {
            let w = p.value.data, g = p.grad.data, count = p.value.count
            let decay = p.decays ? weightDecay : 0
            m[pi].withUnsafeMutableBufferPointer { m in
                v[pi].withUnsafeMutableBufferPointer { v in
                    let m = m.baseAddress!, v = v.baseAddress!
                    for i in 0..<count {
                        var gi = g[i]
                        if !decoupledWeightDecay { gi += decay * w[i] }
                        m[i] = beta1 * m[i] + (1 - beta1) * gi
                        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                        let update = (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
                        if decoupledWeightDecay { w[i] -= lr * decay * w[i] }
                        w[i] -= lr * update
                    }
                }
            }
        }
    }
}

/// Stochastic gradient descent with (optionally Nesterov) momentum and L2 weight decay.
public final class SGD: Optimizer {
    public let parameters: [Parameter]
    public var momentum: Float, weightDecay: Float, nesterov: Bool
    private var velocity: [[Float]]

    public init(parameters: [Parameter], momentum: Float = 0.9, weightDecay: Float = 0, nesterov: Bool = false) {
        self.parameters = parameters
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        velocity = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    }

    public func step(learningRate lr: Float) {
        for (pi, p) in parameters.enumerated() {
            let w = p.value.data, g = p.grad.data
            let decay = p.decays ? weightDecay : 0
            velocity[pi].withUnsafeMutableBufferPointer { vel in
                for i in 0..<p.value.count {
                    let gi = g[i] + decay * w[i]
                    vel[i] = momentum * vel[i] + gi
                    w[i] -= lr * (nesterov ? gi + momentum * vel[i] : vel[i])
                }
            }
        }
    }
}
