/**
 * Listings: what the walk saw in each folder answers "is this file there?" without a system call,
 * and only when the answer is certain; anything else is left to the file system (true).
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Listings } from '../../server/src/cli/walk';

describe('Listings.mayExist', () => {
  const root = path.resolve('/work-tree');
  const listings = new Listings(false);
  listings.record(root, ['compose.yaml', 'app', '.git']);
  listings.record(path.join(root, 'app'), ['Dockerfile']);

  it('a name the listed folder lacks is absent; a listed name may exist', () => {
    assert.equal(listings.mayExist(path.join(root, 'compose.override.yaml')), false);
    assert.equal(listings.mayExist(path.join(root, 'compose.yaml')), true);
    assert.equal(listings.mayExist(path.join(root, 'app', 'Dockerfile')), true);
    assert.equal(listings.mayExist(path.join(root, 'app', '.env')), false);
  });

  it('a path under a folder the listing lacks is absent; under an unlisted folder it may exist', () => {
    assert.equal(listings.mayExist(path.join(root, '.devcontainer', 'devcontainer.json')), false);
    // .git is listed but was never walked into: unknown.
    assert.equal(listings.mayExist(path.join(root, '.git', 'config')), true);
    assert.equal(listings.mayExist(path.resolve('/elsewhere/compose.yaml')), true);
    assert.equal(listings.mayExist(path.parse(root).root), true);
  });

  it('paths that are not normalised are resolved first', () => {
    assert.equal(listings.mayExist(`${root}${path.sep}app${path.sep}..${path.sep}compose.yaml`), true);
    assert.equal(listings.mayExist(`${root}${path.sep}app${path.sep}..${path.sep}missing.yaml`), false);
    assert.equal(listings.mayExist(`${root}${path.sep}${path.sep}compose.yaml`), true);
    assert.equal(listings.mayExist(`${root}${path.sep}.${path.sep}app${path.sep}Dockerfile`), true);
  });

  it('lacks: only a listed folder without the name lacks it', () => {
    assert.equal(listings.lacks(root, 'compose.override.yaml'), true);
    assert.equal(listings.lacks(root, 'compose.yaml'), false);
    assert.equal(listings.lacks(path.join(root, '.devcontainer'), 'devcontainer.json'), false, 'not listed: unknown');
  });

  it('on a case-insensitive file system names match in any case', () => {
    const folded = new Listings(true);
    folded.record(root, ['Compose.YAML']);
    assert.equal(folded.mayExist(path.join(root, 'compose.yaml')), true);
    assert.equal(folded.mayExist(path.join(root, 'compose.override.yaml')), false);
  });
});
