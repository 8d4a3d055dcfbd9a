// The protobuf half of signed commands: building the protocol messages and the client that sends
// them. Loaded through loadProtocol() on the first vehicle command, so a daemon that has sent none
// does not hold @bufbuild/protobuf and the generated message code (README "Footprint").
export { translateCommand } from './translate.js';
export { VcpClient } from '../signing/vcp-client.js';
export { describeFault } from '../signing/vcp-enums.js';
