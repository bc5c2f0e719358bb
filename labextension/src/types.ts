/** The REST API's JSON shapes (snake_case, as the server sends them). */

export type Backend = 'aws' | 'local';

export interface IStudioContext {
  domain_id?: string | null;
  user_profile?: string | null;
  space?: string | null;
  app_type?: string | null;
  region?: string | null;
  account?: string | null;
  execution_role?: string | null;
  error?: string | null;
}

export interface IContext {
  backend: Backend;
  region: string | null;
  account: string | null;
  caller_arn?: string | null;
  local_db?: string | null;
  studio: IStudioContext | null;
}

export interface IImage {
  name: string;
  arn: string;
  status: string;
  display_name: string | null;
  description: string | null;
  role_arn: string | null;
  failure_reason?: string | null;
  created: string | null;
  modified: string | null;
}

export type VersionStatus =
  'CREATING' | 'CREATED' | 'CREATE_FAILED' | 'DELETING' | 'DELETE_FAILED';

export interface IImageVersion {
  image_name: string;
  version: number;
  arn: string;
  image_arn: string;
  status: VersionStatus | string;
  base_image: string | null;
  container_image: string | null;
  aliases: string[];
  ml_framework: string | null;
  programming_lang: string | null;
  processor: string | null;
  job_type: string | null;
  horovod: boolean | null;
  release_notes: string | null;
  vendor_guidance: string | null;
  failure_reason: string | null;
  created: string | null;
  modified: string | null;
}

export interface IVersionPage {
  versions: IImageVersion[];
  next: string | null;
}

/** What POST /images/{image}/versions takes: an ImageVersionSpec in snake_case. */
export interface ISpec {
  image_name: string;
  base_image: string;
  aliases?: string[];
  ml_framework?: string;
  programming_lang?: string;
  processor?: string;
  job_type?: string;
  horovod?: boolean;
  release_notes?: string;
  vendor_guidance?: string;
  create_image?: boolean;
  role_arn?: string;
}

/** What PATCH /images/{image}/versions/{n} takes. */
export interface IPatch {
  aliases_to_add?: string[];
  aliases_to_delete?: string[];
  move_aliases?: string[];
  ml_framework?: string;
  programming_lang?: string;
  processor?: string;
  job_type?: string;
  horovod?: boolean;
  release_notes?: string;
  vendor_guidance?: string;
}

export interface IEcrRepository {
  name: string;
  uri: string;
}

export interface IEcrImage {
  tag: string;
  digest: string | null;
  uri: string;
  pushed: string | null;
  size: number | null;
}

/** field -> message, as in the server's 400 answers. */
export type Problems = Record<string, string>;

/** The subset of JSON Schema the client checks with (read from /openapi.json). */
export interface IFieldSchema {
  type?: string | string[];
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  description?: string;
  items?: IFieldSchema;
  uniqueItems?: boolean;
}

export interface IObjectSchema {
  properties: Record<string, IFieldSchema>;
  required?: string[];
}

export const VENDOR_GUIDANCE = [
  'NOT_PROVIDED',
  'STABLE',
  'TO_BE_ARCHIVED',
  'ARCHIVED'
] as const;
export const PROCESSORS = ['CPU', 'GPU'] as const;
export const JOB_TYPES = ['TRAINING', 'INFERENCE', 'NOTEBOOK_KERNEL'] as const;

export const SETTLED = new Set(['CREATED', 'CREATE_FAILED', 'DELETE_FAILED']);

export type ExportFormat =
  | 'cloudformation'
  | 'cdk-python'
  | 'cdk-typescript'
  | 'terraform'
  | 'terraform-json';

export interface IExportOptions {
  format: ExportFormat;
  json?: boolean;
  versions?: string;
  pinDigests?: boolean;
  includeArchived?: boolean;
  /** Terraform only: import blocks adopting the live versions (the server's default: true). */
  imports?: boolean;
}

/** GET .../export: the generated code and the file name it suggests. */
export interface IExport {
  image_name: string;
  format: ExportFormat;
  json: boolean;
  /** Whether a Terraform configuration has import blocks. */
  import: boolean;
  filename: string;
  content: string;
}

export type StudioAppType = 'JupyterLab' | 'KernelGateway' | 'CodeEditor';

export interface IAttachRequest {
  image_name: string;
  version: number;
  domain_id: string;
  app_type: StudioAppType;
  kernel_name?: string;
  display_name?: string;
  uid?: number;
  gid?: number;
  mount_path?: string;
  force?: boolean;
}

export interface IAttachment {
  domain_id: string;
  user_profile: string | null;
  app_type: StudioAppType;
  image_name: string;
  version: number | null;
  app_image_config: string | null;
  custom_images: {
    image_name: string | null;
    version: number | null;
    app_image_config: string | null;
  }[];
}

export interface IDomain {
  domain_id: string;
  name: string | null;
  status: string | null;
}

export const DOCTOR_APP_TYPES = [
  'JupyterLab',
  'CodeEditor',
  'KernelGateway'
] as const;

/** GET /doctor: the image's facts and what Studio would make of it. */
export interface IDoctorReport {
  base_image: string;
  app_type: string;
  digest: string;
  platform: { os: string; architecture: string };
  user: { name: string | null; uid: number | null; gid: number | null };
  workdir: string;
  kernels: { name: string; display_name: string; language: string }[];
  findings: {
    severity: 'error' | 'warning' | 'info';
    code: string;
    message: string;
  }[];
  layers_scanned: number;
  bytes_read: number;
  ok: boolean;
  cached: boolean;
}

/** An installed package of one ecosystem (GET /contents, /diff, /find). */
export interface IPackage {
  ecosystem: string;
  name: string;
  version: string;
  location: string;
  installer: string;
}

/** GET /contents: what one image holds (its final filesystem, whiteouts applied). */
export interface IInventory {
  digest: string;
  uri?: string;
  os: { id: string; version_id: string; pretty_name: string };
  architecture: string;
  python: { path: string; version: string; default: boolean }[];
  packages: IPackage[];
  cuda: string | null;
  size: { compressed: number; uncompressed: number | null };
  layers: number;
  bytes_read: number;
  cached: boolean;
}

/** One package whose version differs between the two sides of a diff. */
export interface IPackageChange {
  ecosystem: string;
  name: string;
  from: string;
  to: string;
  /** PEP 440 versions: major, minor, patch, other. */
  kind: string;
  /** The new version orders before the old one. */
  downgrade?: boolean;
}

/** A fact of the whole image that changed (OS, default Python, CUDA): from, to, kind. */
export interface IValueChange {
  from: unknown;
  to: unknown;
  kind: string;
}

interface ISizes {
  compressed: number | null;
  uncompressed: number | null;
}

/** GET /diff: what changed from image a to image b. */
export interface IPackageDiff {
  a: { target: string; digest: string; layers?: number };
  b: { target: string; digest: string; layers?: number };
  added: IPackage[];
  removed: IPackage[];
  changed: IPackageChange[];
  os: IValueChange | null;
  python: IValueChange | null;
  cuda: IValueChange | null;
  size?: { from: ISizes; to: ISizes; change: ISizes };
  layers_shared?: number;
  bytes_read?: number;
}

/** GET /find: a version whose contents match every requirement, and the packages that did. */
export interface IFound {
  version: number;
  status: string;
  aliases: string[];
  matches: IPackage[];
}

/** GET /find's answer: the matching versions, newest first, and those that could not be read. */
export interface IFindAnswer {
  requirements: string[];
  versions: IFound[];
  unread: { version: number; error: string }[];
  /** How many versions were read. */
  checked: number;
}

/** What the image suggests for the register form, each with why (`reasons[field]`). */
export interface ISuggested {
  ml_framework: string | null;
  programming_lang: string | null;
  processor: string | null;
  reasons: Record<string, string>;
}

/** The register form's draft: release notes from the diff against version `against`. */
export interface IDraftNotes {
  image_name: string;
  base_image: string;
  /** Null (with `reason`) when there is nothing to compare with. */
  notes: string | null;
  limit: number;
  against: number | null;
  reason: string;
  suggested: ISuggested;
}

/** POST /derive: a new image from a version with Python packages added. */
export interface IDeriveRequest {
  target: string;
  tag: string;
  requirements?: string;
  register?: boolean;
  alias?: string;
  force?: boolean;
}

export interface IDerivePlanned {
  name: string;
  version: string;
  replaces: string | null;
}

/** GET /derive/{id}: the job's state, plan, progress, result or error. */
export interface IDeriveJob {
  id: string;
  state:
    | 'planning'
    | 'downloading'
    | 'pushing'
    | 'checking'
    | 'registering'
    | 'done'
    | 'failed';
  target: string;
  tag: string;
  plan: {
    add: IDerivePlanned[];
    upgrade: IDerivePlanned[];
    target: { interpreter: string; site_packages: string };
  } | null;
  progress: { bytes_sent: number; bytes_total: number };
  result: {
    pushed: { uri: string; bytes_uploaded: number } | null;
    version: IImageVersion | null;
  } | null;
  error: { message: string; code: string; problems?: Problems } | null;
}
