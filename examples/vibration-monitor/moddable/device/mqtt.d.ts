// The Moddable SDK's MQTT client ($(MODDABLE)/modules/network/mqtt), as far as
// integrations/mqtt-moddable.ts uses it (the SDK ships no typings for it).
declare module 'mqtt' {
  const Client: new (dictionary: object) => object;
  export default Client;
}
