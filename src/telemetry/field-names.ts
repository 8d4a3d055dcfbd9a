/**
 * Names of Tesla's Fleet Telemetry fields (the `Field` enum of fleet-telemetry's vehicle_data.proto,
 * without Unknown, the Deprecated_/Experimental_ placeholders and the Semi-only fields), for checking
 * a configuration before it is signed: a misspelt name is caught here, not by a car that stays silent.
 */
export const FIELD_NAMES = [
  'DriveRail', 'ChargeState', 'BmsFullchargecomplete', 'VehicleSpeed', 'Odometer', 'PackVoltage', 'PackCurrent', 'Soc',
  'DCDCEnable', 'Gear', 'IsolationResistance', 'PedalPosition', 'BrakePedal', 'DiStateR', 'DiHeatsinkTR', 'DiAxleSpeedR',
  'DiTorquemotor', 'DiStatorTempR', 'DiVBatR', 'DiMotorCurrentR', 'Location', 'GpsState', 'GpsHeading', 'NumBrickVoltageMax',
  'BrickVoltageMax', 'NumBrickVoltageMin', 'BrickVoltageMin', 'NumModuleTempMax', 'ModuleTempMax', 'NumModuleTempMin',
  'ModuleTempMin', 'RatedRange', 'Hvil', 'DCChargingEnergyIn', 'DCChargingPower', 'ACChargingEnergyIn', 'ACChargingPower',
  'ChargeLimitSoc', 'FastChargerPresent', 'EstBatteryRange', 'IdealBatteryRange', 'BatteryLevel', 'TimeToFullCharge',
  'ScheduledChargingStartTime', 'ScheduledChargingPending', 'ScheduledDepartureTime', 'PreconditioningEnabled',
  'ScheduledChargingMode', 'ChargeAmps', 'ChargeEnableRequest', 'ChargerPhases', 'ChargePortColdWeatherMode',
  'ChargeCurrentRequest', 'ChargeCurrentRequestMax', 'BatteryHeaterOn', 'NotEnoughPowerToHeat',
  'SuperchargerSessionTripPlanner', 'DoorState', 'Locked', 'FdWindow', 'FpWindow', 'RdWindow', 'RpWindow', 'VehicleName',
  'SentryMode', 'SpeedLimitMode', 'CurrentLimitMph', 'Version', 'TpmsPressureFl', 'TpmsPressureFr', 'TpmsPressureRl',
  'TpmsPressureRr', 'TpmsLastSeenPressureTimeFl', 'TpmsLastSeenPressureTimeFr', 'TpmsLastSeenPressureTimeRl',
  'TpmsLastSeenPressureTimeRr', 'InsideTemp', 'OutsideTemp', 'SeatHeaterLeft', 'SeatHeaterRight', 'SeatHeaterRearLeft',
  'SeatHeaterRearRight', 'SeatHeaterRearCenter', 'AutoSeatClimateLeft', 'AutoSeatClimateRight', 'DriverSeatBelt',
  'PassengerSeatBelt', 'DriverSeatOccupied', 'LateralAcceleration', 'LongitudinalAcceleration', 'CruiseSetSpeed',
  'LifetimeEnergyUsed', 'LifetimeEnergyUsedDrive', 'BrakePedalPos', 'RouteLastUpdated', 'RouteLine', 'MilesToArrival',
  'MinutesToArrival', 'OriginLocation', 'DestinationLocation', 'CarType', 'Trim', 'ExteriorColor', 'RoofColor', 'ChargePort',
  'ChargePortLatch', 'GuestModeEnabled', 'PinToDriveEnabled', 'PairedPhoneKeyAndKeyFobQty', 'CruiseFollowDistance',
  'AutomaticBlindSpotCamera', 'BlindSpotCollisionWarningChime', 'SpeedLimitWarning', 'ForwardCollisionWarning',
  'LaneDepartureAvoidance', 'EmergencyLaneDepartureAvoidance', 'AutomaticEmergencyBrakingOff',
  'LifetimeEnergyGainedRegen', 'DiStateF', 'DiStateREL', 'DiStateRER', 'DiHeatsinkTF', 'DiHeatsinkTREL', 'DiHeatsinkTRER',
  'DiAxleSpeedF', 'DiAxleSpeedREL', 'DiAxleSpeedRER', 'DiSlaveTorqueCmd', 'DiTorqueActualR', 'DiTorqueActualF',
  'DiTorqueActualREL', 'DiTorqueActualRER', 'DiStatorTempF', 'DiStatorTempREL', 'DiStatorTempRER', 'DiVBatF', 'DiVBatREL',
  'DiVBatRER', 'DiMotorCurrentF', 'DiMotorCurrentREL', 'DiMotorCurrentRER', 'EnergyRemaining', 'ServiceMode', 'BMSState',
  'GuestModeMobileAccessState', 'DestinationName', 'DiInverterTR', 'DiInverterTF', 'DiInverterTREL', 'DiInverterTRER',
  'DetailedChargeState', 'CabinOverheatProtectionMode', 'CabinOverheatProtectionTemperatureLimit',
  'CenterDisplay', 'ChargePortDoorOpen', 'ChargerVoltage', 'ChargingCableType', 'ClimateKeeperMode',
  'DefrostForPreconditioning', 'DefrostMode', 'EfficiencyPackage', 'EstimatedHoursToChargeTermination',
  'EuropeVehicle', 'ExpectedEnergyPercentAtTripArrival', 'FastChargerType', 'HomelinkDeviceCount', 'HomelinkNearby',
  'HvacACEnabled', 'HvacAutoMode', 'HvacFanSpeed', 'HvacFanStatus', 'HvacLeftTemperatureRequest', 'HvacPower',
  'HvacRightTemperatureRequest', 'HvacSteeringWheelHeatAuto', 'HvacSteeringWheelHeatLevel',
  'OffroadLightbarPresent', 'PowershareHoursLeft', 'PowershareInstantaneousPowerKW', 'PowershareStatus',
  'PowershareStopReason', 'PowershareType', 'RearDisplayHvacEnabled', 'RearSeatHeaters', 'RemoteStartEnabled',
  'RightHandDrive', 'RouteTrafficMinutesDelay', 'SoftwareUpdateDownloadPercentComplete',
  'SoftwareUpdateExpectedDurationMinutes', 'SoftwareUpdateInstallationPercentComplete',
  'SoftwareUpdateScheduledStartTime', 'SoftwareUpdateVersion', 'TonneauOpenPercent', 'TonneauPosition',
  'TonneauTentMode', 'TpmsHardWarnings', 'TpmsSoftWarnings', 'ValetModeEnabled', 'WheelType', 'WiperHeatEnabled',
  'LocatedAtHome', 'LocatedAtWork', 'LocatedAtFavorite', 'SettingDistanceUnit', 'SettingTemperatureUnit',
  'Setting24HourTime', 'SettingTirePressureUnit', 'SettingChargeUnit', 'ClimateSeatCoolingFrontLeft',
  'ClimateSeatCoolingFrontRight', 'LightsHazardsActive', 'LightsTurnSignal', 'LightsHighBeams',
  'MediaPlaybackStatus', 'MediaPlaybackSource', 'MediaAudioVolume', 'MediaNowPlayingDuration',
  'MediaNowPlayingElapsed', 'MediaNowPlayingArtist', 'MediaNowPlayingTitle', 'MediaNowPlayingAlbum',
  'MediaNowPlayingStation', 'MediaAudioVolumeIncrement', 'MediaAudioVolumeMax', 'SunroofInstalled',
  'SeatVentEnabled', 'RearDefrostEnabled', 'ChargeRateMilePerHour', 'MilesSinceReset', 'SelfDrivingMilesSinceReset',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(FIELD_NAMES);

export function isFieldName(name: string): name is FieldName {
  return KNOWN.has(name);
}
