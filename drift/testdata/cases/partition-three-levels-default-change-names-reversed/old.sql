CREATE TABLE public.z_top (id int, region text NOT NULL, at date NOT NULL, status text DEFAULT 'new') PARTITION BY LIST (region);
CREATE TABLE public.m_eu PARTITION OF public.z_top (status DEFAULT 'eu-new') FOR VALUES IN ('eu') PARTITION BY RANGE (at);
CREATE TABLE public.a_eu_2025 PARTITION OF public.m_eu (status DEFAULT 'eu-2025-new') FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.a_eu_2026 PARTITION OF public.m_eu FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
