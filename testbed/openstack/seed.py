"""Fills the OpenStack test bed through its own APIs (openstacksdk), as an operator would.

Reads one JSON document on stdin and runs one phase:
- "services": the service project, the service users (admin role) and the catalog's services and endpoints;
- "cloud": what wolke's example environment needs: flavors, the image, the external network with its subnet,
  a non-admin project and user with raised quotas.
Prints a JSON document with what it created.
"""
import json
import sys
import time

import openstack


def connect(auth):
    return openstack.connection.Connection(
        auth=auth, region_name='RegionOne', identity_interface='public', interface='public')


def find_or_create(finder, creator, name, **attrs):
    found = finder(name)
    return found if found is not None else creator(name=name, **attrs)


def services(conn, spec):
    identity = conn.identity
    domain = identity.find_domain('default')
    project = find_or_create(identity.find_project, identity.create_project, 'service', domain_id=domain.id)
    admin = identity.find_role('admin')
    for name, password in spec['servicePasswords'].items():
        user = identity.find_user(name, domain_id=domain.id)
        if user is None:
            user = identity.create_user(name=name, password=password, domain_id=domain.id, default_project_id=project.id)
        else:
            identity.update_user(user, password=password)
        identity.assign_project_role_to_user(project, user, admin)
    for service in spec['catalog']:
        svc = identity.find_service(service['name'])
        if svc is None:
            svc = identity.create_service(name=service['name'], type=service['type'], enabled=True)
        for endpoint in list(identity.endpoints(service_id=svc.id)):
            identity.delete_endpoint(endpoint)
        for interface in ('public', 'internal', 'admin'):
            identity.create_endpoint(service_id=svc.id, interface=interface, url=service['url'], region_id='RegionOne')
    return {'service_project': project.id}


def cloud(conn, spec):
    identity = conn.identity
    domain = identity.find_domain('default')

    for flavor in spec['flavors']:
        if conn.compute.find_flavor(flavor['name']) is None:
            conn.compute.create_flavor(name=flavor['name'], vcpus=flavor['vcpus'], ram=flavor['ram'], disk=flavor['disk'],
                                       is_public=True)

    image = conn.image.find_image(spec['image'])
    if image is None:
        image = conn.image.create_image(name=spec['image'], data=b'\0' * (1 << 20), disk_format='raw',
                                        container_format='bare', visibility='public', allow_duplicates=True)

    ext = spec['externalNetwork']
    network = conn.network.find_network(ext['name'])
    if network is None:
        network = conn.network.create_network(name=ext['name'], is_router_external=True, is_shared=False,
                                              provider_network_type='flat', provider_physical_network='public')
        conn.network.create_subnet(network_id=network.id, name=f"{ext['name']}-subnet", ip_version=4, cidr=ext['cidr'],
                                   gateway_ip=ext['gateway'], is_dhcp_enabled=False,
                                   allocation_pools=[{'start': ext['poolStart'], 'end': ext['poolEnd']}])

    tenant = spec['project']
    project = find_or_create(identity.find_project, identity.create_project, tenant['name'], domain_id=domain.id)
    user = identity.find_user(tenant['user'], domain_id=domain.id)
    if user is None:
        user = identity.create_user(name=tenant['user'], password=tenant['password'], domain_id=domain.id,
                                    default_project_id=project.id)
    identity.assign_project_role_to_user(project, user, identity.find_role('member'))
    quotas = spec['quotas']
    conn.set_compute_quotas(project.id, **quotas['compute'])
    conn.set_network_quotas(project.id, **quotas['network'])
    wait_for_computes(conn, spec['computes'])
    return {'project': project.id, 'image': image.id, 'external_network': network.id}


def wait_for_computes(conn, count, timeout=180):
    """Until the scheduler has discovered every compute (discover_hosts_in_cells_interval) and each is up."""
    deadline = time.monotonic() + timeout
    while True:
        up = [s for s in conn.compute.services(binary='nova-compute') if s.state == 'up' and s.status == 'enabled']
        hypervisors = list(conn.compute.hypervisors())
        if len(up) >= count and len(hypervisors) >= count:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f'{len(up)} of {count} computes up and {len(hypervisors)} hypervisors after {timeout} s')
        time.sleep(1)


def main():
    spec = json.load(sys.stdin)
    conn = connect(spec['auth'])
    phase = {'services': services, 'cloud': cloud}[spec['phase']]
    json.dump(phase(conn, spec), sys.stdout)


if __name__ == '__main__':
    main()
