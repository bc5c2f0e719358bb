/** The one way the sidebar talks to the server: ServerConnection requests to the REST API. */

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import {
  IAttachment,
  IAttachRequest,
  IContext,
  IDeriveJob,
  IDeriveRequest,
  IDoctorReport,
  IDomain,
  IDraftNotes,
  IEcrImage,
  IEcrRepository,
  IExport,
  IExportOptions,
  IFindAnswer,
  IImage,
  IImageVersion,
  IInventory,
  IObjectSchema,
  IPackageDiff,
  IPatch,
  ISpec,
  IVersionPage,
  Problems
} from './types';

export const API_PATH = 'image-versions/api';

/** What `request` answers for a 304: the caller's earlier answer still holds. */
const NOT_MODIFIED = Symbol('not modified');

/** An error answer of the API: {"message", "code", "problems"} plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly problems: Problems = {}
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the answer names bad fields (a 400 with problems). */
  get hasProblems(): boolean {
    return Object.keys(this.problems).length > 0;
  }
}

function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

export class ImageVersionsClient {
  constructor(
    readonly settings: ServerConnection.ISettings = ServerConnection.makeSettings()
  ) {}

  context(): Promise<IContext> {
    return this.request<IContext>('context');
  }

  async images(): Promise<IImage[]> {
    const data = await this.request<{ images: IImage[] } | IImage[]>('images');
    return Array.isArray(data) ? data : data.images;
  }

  history(
    image: string,
    options: { limit?: number; next?: string | null } = {}
  ): Promise<IVersionPage> {
    const query: Record<string, string> = {};
    if (options.limit) {
      query.limit = String(options.limit);
    }
    if (options.next) {
      query.next = options.next;
    }
    const path =
      `images/${segment(image)}/versions` + URLExt.objectToQueryString(query);
    return this.conditional<IVersionPage>(path);
  }

  register(image: string, spec: ISpec): Promise<IImageVersion> {
    return this.request<IImageVersion>(`images/${segment(image)}/versions`, {
      method: 'POST',
      body: JSON.stringify(spec)
    });
  }

  version(image: string, version: number): Promise<IImageVersion> {
    return this.request<IImageVersion>(
      `images/${segment(image)}/versions/${segment(version)}`
    );
  }

  update(
    image: string,
    version: number,
    patch: IPatch
  ): Promise<IImageVersion> {
    return this.request<IImageVersion>(
      `images/${segment(image)}/versions/${segment(version)}`,
      { method: 'PATCH', body: JSON.stringify(patch) }
    );
  }

  /** Delete a version: AWS answers at once; the version (DELETING), or null when gone. */
  async remove(image: string, version: number): Promise<IImageVersion | null> {
    const found = await this.request<IImageVersion | null>(
      `images/${segment(image)}/versions/${segment(version)}`,
      { method: 'DELETE' }
    );
    return found ?? null;
  }

  aliases(image: string): Promise<Record<string, number>> {
    return this.request<Record<string, number>>(
      `images/${segment(image)}/aliases`
    );
  }

  async ecrRepositories(): Promise<IEcrRepository[]> {
    const data = await this.request<{ repositories: IEcrRepository[] }>(
      'ecr/repositories'
    );
    return data.repositories;
  }

  async ecrImages(repository: string): Promise<IEcrImage[]> {
    // Repository names may hold '/', which the route takes as is; encode each part.
    const path = repository.split('/').map(segment).join('/');
    const data = await this.request<{ images: IEcrImage[] }>(
      `ecr/repositories/${path}/images`
    );
    return data.images;
  }

  /** The image's live history as CloudFormation, CDK or Terraform code (GET .../export). */
  export(image: string, options: IExportOptions): Promise<IExport> {
    const query: Record<string, string> = { format: options.format };
    if (options.json) {
      query.json = 'true';
    }
    if (options.versions) {
      query.versions = options.versions;
    }
    if (options.pinDigests) {
      query.pin_digests = 'true';
    }
    if (options.includeArchived === false) {
      query.include_archived = 'false';
    }
    if (options.imports !== undefined) {
      query.import = String(options.imports);
    }
    return this.request<IExport>(
      `images/${segment(image)}/export` + URLExt.objectToQueryString(query)
    );
  }

  /** Make a version a custom image of a Studio domain (POST studio/attach). */
  attach(body: IAttachRequest): Promise<IAttachment> {
    return this.request<IAttachment>('studio/attach', {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  /** Start a derivation (POST derive): the job, to poll with `deriveJob`. */
  derive(body: IDeriveRequest): Promise<IDeriveJob> {
    return this.request<IDeriveJob>('derive', {
      method: 'POST',
      body: JSON.stringify(body)
    });
  }

  deriveJob(id: string): Promise<IDeriveJob> {
    return this.request<IDeriveJob>(`derive/${segment(id)}`);
  }

  /** The image doctor on an ECR URI or IMAGE:VERSION (GET doctor). */
  doctor(image: string, appType: string): Promise<IDoctorReport> {
    const query = URLExt.objectToQueryString({ image, app_type: appType });
    return this.request<IDoctorReport>('doctor' + query);
  }

  async domains(): Promise<IDomain[]> {
    const data = await this.request<{ domains: IDomain[] }>('studio/domains');
    return data.domains;
  }

  /** What an image holds (GET contents): IMAGE:VERSION, IMAGE@ALIAS or an ECR URI. */
  contents(image: string, signal?: AbortSignal): Promise<IInventory> {
    const query = URLExt.objectToQueryString({ image });
    return this.request<IInventory>('contents' + query, { signal });
  }

  /** The package diff of two images (GET diff). */
  diff(a: string, b: string, signal?: AbortSignal): Promise<IPackageDiff> {
    const query = URLExt.objectToQueryString({ a, b });
    return this.request<IPackageDiff>('diff' + query, { signal });
  }

  /** The versions of `image` whose contents match every requirement (GET find). */
  find(
    image: string,
    requirements: string[],
    signal?: AbortSignal
  ): Promise<IFindAnswer> {
    const query = [`image=${encodeURIComponent(image)}`]
      .concat(requirements.map(r => `requirement=${encodeURIComponent(r)}`))
      .join('&');
    return this.request<IFindAnswer>(`find?${query}`, { signal });
  }

  /** Release notes drafted from the changes since version `against` (default: the newest
   * CREATED one), and the metadata the base image suggests. */
  draftNotes(
    image: string,
    baseImage: string,
    against: number | null,
    signal?: AbortSignal
  ): Promise<IDraftNotes> {
    const query: Record<string, string> = { image, base_image: baseImage };
    if (against !== null) {
      query.against = String(against);
    }
    return this.request<IDraftNotes>(
      'draft-notes' + URLExt.objectToQueryString(query),
      { signal }
    );
  }

  /** The request schema of POST .../versions, from the server's OpenAPI document. */
  async registerSchema(): Promise<IObjectSchema | null> {
    const doc = await this.request<any>('openapi.json');
    const schema = doc?.components?.schemas?.RegisterRequest;
    return schema && schema.properties ? (schema as IObjectSchema) : null;
  }

  /** A GET that sends the last ETag of `path` and reuses its answer on 304 Not Modified. */
  private async conditional<T>(path: string): Promise<T> {
    const known = this.pages.get(path);
    const headers: Record<string, string> = known
      ? { 'If-None-Match': known.etag }
      : {};
    const answer = await this.request<T>(path, { headers }, (etag, data) => {
      if (etag) {
        this.pages.set(path, { etag, data });
      }
    });
    return answer === NOT_MODIFIED && known ? (known.data as T) : answer;
  }

  private pages = new Map<string, { etag: string; data: unknown }>();

  private async request<T>(
    path: string,
    init: RequestInit = {},
    onEtag?: (etag: string | null, data: unknown) => void
  ): Promise<T> {
    const url = URLExt.join(this.settings.baseUrl, API_PATH, path);
    if (init.body) {
      init.headers = { 'Content-Type': 'application/json', ...init.headers };
    }
    let response: Response;
    try {
      response = await ServerConnection.makeRequest(url, init, this.settings);
    } catch (error) {
      if (init.signal?.aborted) {
        throw new ApiError('Cancelled', 0, 'Cancelled');
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new ApiError(message, 0, 'NetworkError');
    }
    if (response.status === 304) {
      return NOT_MODIFIED as T;
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (init.signal?.aborted) {
        throw new ApiError('Cancelled', 0, 'Cancelled');
      }
      throw error;
    }
    let data: any = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const message =
        (data && typeof data.message === 'string' && data.message) ||
        `${response.status} ${response.statusText}`;
      const code = (data && data.code) || `HTTP${response.status}`;
      const problems =
        data && data.problems && typeof data.problems === 'object'
          ? (data.problems as Problems)
          : {};
      throw new ApiError(message, response.status, code, problems);
    }
    onEtag?.(response.headers.get('ETag'), data);
    return data as T;
  }
}
