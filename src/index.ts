import movableInk from './destinations/movable-ink'

export { movableInk }
export default movableInk
