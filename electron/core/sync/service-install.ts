/**
 * `bcscmd /INSTALLSERVICE`: what the platform needs to run `bcscmd /SERVICE` at boot. On Linux a systemd
 * unit (written to /etc/systemd/system, or printed with /PRINT); on Windows a Task Scheduler task (XML for
 * `schtasks /Create /XML`), which runs at start-up as a chosen account without a logged-on user. Secrets
 * never go into these files: the password comes from a password file only that account can read, or (in
 * the packaged app) from the password the console stored with the system's key store.
 */
import os from 'node:os';
import path from 'node:path';

export const UNIT_NAME = 'ad-console-sync.service';
export const TASK_NAME = 'AD Console scheduled sync';

export interface ServiceCommand {
  /** The program and its arguments, e.g. node + bin/bcscmd.js, or the packaged app itself. */
  argv: string[];
  dataDir: string;
  passwordFile: string | null;
  /** The account the service runs as (Linux: a user name). */
  user: string;
}

export interface InstallPlan {
  /** Where the definition goes ("" = printed only: this platform is not installed automatically). */
  file: string;
  text: string;
  /** The one command that enables it. */
  enable: string;
}

/** systemd's quoting: each word in double quotes, with \ and " escaped; % doubled (specifiers). */
const systemdWord = (word: string) => `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;

export function serviceArguments(command: ServiceCommand): string[] {
  return [
    ...command.argv,
    '/SERVICE',
    `/DATA:${command.dataDir}`,
    ...(command.passwordFile ? [`/PASSWORDFILE:${command.passwordFile}`] : []),
  ];
}

export function systemdUnit(command: ServiceCommand): string {
  return `[Unit]
Description=AD Console scheduled Active Directory sync (${command.dataDir.replace(/%/g, '%%')})
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
ExecStart=${serviceArguments(command).map(systemdWord).join(' ')}
User=${command.user}
# SIGTERM cancels a running import (it rolls back) and the service exits 0 within 5 s.
KillSignal=SIGTERM
TimeoutStopSec=10
Restart=on-failure
RestartSec=30
# Exit 1 at start (another service runs on this data folder) is not fixed by restarting in a loop.
RestartPreventExitStatus=1
NoNewPrivileges=yes

[Install]
WantedBy=multi-user.target
`;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Windows argv quoting for one argument (CommandLineToArgvW rules). */
export function windowsArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

export function taskSchedulerXml(command: ServiceCommand): string {
  const [program, ...args] = serviceArguments(command);
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>AD Console scheduled Active Directory sync (bcscmd /SERVICE)</Description>
  </RegistrationInfo>
  <Triggers>
    <BootTrigger><Enabled>true</Enabled></BootTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${xml(command.user)}</UserId>
      <LogonType>Password</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure><Interval>PT1M</Interval><Count>999</Count></RestartOnFailure>
    <StartWhenAvailable>true</StartWhenAvailable>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xml(windowsArgument(program!))}</Command>
      <Arguments>${xml(args.map(windowsArgument).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}

export function installPlan(command: ServiceCommand, platform: NodeJS.Platform = process.platform): InstallPlan {
  if (platform === 'win32') {
    const file = path.join(command.dataDir, 'ad-console-sync-task.xml');
    return {
      file,
      text: taskSchedulerXml(command),
      enable: `schtasks /Create /TN "${TASK_NAME}" /XML "${file}" /RU ${command.user} /RP *`,
    };
  }
  if (platform === 'linux')
    return {
      file: path.join('/etc/systemd/system', UNIT_NAME),
      text: systemdUnit(command),
      enable: `systemctl daemon-reload && systemctl enable --now ${UNIT_NAME}`,
    };
  return { file: '', text: systemdUnit(command), enable: '' };
}

/** The account a new service runs as: the one installing it, unless that is root (then: say so). */
export const defaultServiceUser = (): string => os.userInfo().username;
